// The size and seed of every chaos scenario. CI runs the defaults (sized so the whole Chaos category stays within
// a few minutes on a 2-core machine); CHAOS_RESOURCES and CHAOS_SEED scale a run up (the 500) or replay one,
// and CHAOS_PROCESS_RESOURCES sizes the process scenarios on their own.
using System.Globalization;

namespace Operator.IntegrationTests.Chaos;

/// <summary>How many resources a scenario creates and the seed that makes its choices repeatable.</summary>
internal static class ChaosScale
{
    /// <summary>Resources of the large scenarios (watch faults, API faults, bad input).</summary>
    public static int Resources => Read("CHAOS_RESOURCES", 120);

    /// <summary>Random spec updates made during convergence in the watch-fault scenario.</summary>
    public static int Updates => Resources * 2 / 5;

    /// <summary>
    /// Resources of the process scenarios (crash, fail-over), which start real operator processes: a third of
    /// <see cref="Resources"/> (at least 10), or CHAOS_PROCESS_RESOURCES, which sizes them alone.
    /// </summary>
    public static int ProcessResources => Read("CHAOS_PROCESS_RESOURCES", Math.Max(10, Resources / 3));

    public static int Seed => Read("CHAOS_SEED", 20261125);

    private static int Read(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
