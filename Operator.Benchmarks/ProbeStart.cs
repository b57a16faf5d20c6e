namespace Operator.Benchmarks;

/// <summary>How a probe process starts: the first run from a fresh copy of its files evicted from the page cache, or a repeat.</summary>
public enum ProbeStart
{
    Cold,
    Warm,
}
