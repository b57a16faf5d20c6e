namespace Operator.Runtime.Hosting;

/// <summary>
/// The operator cannot tell where its cluster is or how to reach it (no kubeconfig, an unreadable or malformed one,
/// an unknown context). The message is one line for the user and holds no credential.
/// </summary>
public sealed class ClusterConnectionException : Exception
{
    public ClusterConnectionException()
    {
    }

    public ClusterConnectionException(string message)
        : base(message)
    {
    }

    public ClusterConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
