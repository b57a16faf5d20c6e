namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>The fixture parameters of the suites that run on any cluster: every target, each shown by its name and category.</summary>
public static class ClusterTargets
{
    public static IEnumerable<TestFixtureData> All() =>
        new ClusterTarget[] { new EmulatorTarget(), new EmulatorProcessTarget(), new ExistingClusterTarget(), new K3sTarget() }.Select(Fixture);

    /// <summary>The targets reached through a kubeconfig, where the operator under test runs as a process.</summary>
    public static IEnumerable<TestFixtureData> Kubeconfig() =>
        new ClusterTarget[] { new EmulatorProcessTarget(), new ExistingClusterTarget(), new K3sTarget() }.Select(Fixture);

    private static TestFixtureData Fixture(ClusterTarget target)
    {
        var data = new TestFixtureData(target).SetArgDisplayNames(target.Name);
        data.Properties.Add(NUnit.Framework.Internal.PropertyNames.Category, target.Category);
        return data;
    }
}
