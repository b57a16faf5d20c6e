namespace Operator.Runtime.Queue;

/// <summary>A work queue that can also add an item after a delay.</summary>
public interface IDelayingQueue<T> : IWorkQueue<T>
    where T : class
{
    /// <summary>Adds <paramref name="item"/> once <paramref name="delay"/> has passed; a zero or negative delay adds now.</summary>
    void AddAfter(T item, TimeSpan delay);
}
