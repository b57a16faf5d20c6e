namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>The fixture parameters of the conformance suite: every target, each shown by its name.</summary>
public static class ClusterTargets
{
    public static IEnumerable<TestFixtureData> All()
    {
        yield return Fixture(new EmulatorTarget());
        yield return Fixture(new K3sTarget());
    }

    private static TestFixtureData Fixture(ClusterTarget target)
    {
        var data = new TestFixtureData(target).SetArgDisplayNames(target.Name);
        data.Properties.Add(NUnit.Framework.Internal.PropertyNames.Category, target is K3sTarget ? "K3s" : "EmulatorTarget");
        return data;
    }
}
