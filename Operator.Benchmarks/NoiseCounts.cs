namespace Operator.Benchmarks;

/// <summary>
/// How many unrelated objects of each kind --noise creates, cluster-wide, and the data size of each Secret.
/// Invariant: every count and the size are positive (the command line refuses anything else).
/// </summary>
public sealed record NoiseCounts(int Deployments, int Services, int ConfigMaps, int Secrets, long SecretBytes)
{
    /// <summary>The busy cluster of issue 21: 10,000 Deployments, Services and Secrets of 100 KiB, 50,000 ConfigMaps.</summary>
    public static readonly NoiseCounts Default = new(10_000, 10_000, 50_000, 10_000, 100 * 1024);

    public int Total => Deployments + Services + ConfigMaps + Secrets;
}
