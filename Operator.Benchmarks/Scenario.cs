namespace Operator.Benchmarks;

/// <summary>Scenario names as the command line spells them.</summary>
public static class Scenario
{
    public const string Cold = "cold";
    public const string Ceiling = "ceiling";
    public const string Steady = "steady";
    public const string Update = "update";
    public const string Startup = "startup";
    public const string Memory = "memory";

    /// <summary>Unrelated Secrets created once the operator has converged: how much of them ends up in its memory.</summary>
    public const string SecretNoise = "secret-noise";

    /// <summary>
    /// The operator's backlog reader against real Redis servers: its CPU, the command rate and connections it costs
    /// the brokers, and the status writes it makes while backlogs stand still and when one changes.
    /// </summary>
    public const string Backlog = "backlog";

    /// <summary>The operator's informer against @kubernetes/client-node's, from process start to a synced cache.</summary>
    public const string InformerPeer = "informer-peer";
}
