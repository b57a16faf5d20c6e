namespace Operator.IntegrationTests.Chaos;

public sealed class AppliedFieldsComparerTests
{
    private static bool Satisfied(string desired, string live) => AppliedFieldsComparer.IsSatisfiedBy(JsonNode.Parse(desired), JsonNode.Parse(live));

    [Test]
    public void ExtraLiveFieldsAndDefaultsDoNotCount() =>
        Assert.That(Satisfied("""{"spec":{"replicas":2}}""", """{"spec":{"replicas":2,"revisionHistoryLimit":10},"status":{"readyReplicas":1}}"""), Is.True);

    [Test]
    public void AChangedOrMissingFieldCounts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Satisfied("""{"spec":{"replicas":2}}""", """{"spec":{"replicas":3}}"""), Is.False);
            Assert.That(Satisfied("""{"spec":{"replicas":2}}""", """{"spec":{}}"""), Is.False);
            Assert.That(AppliedFieldsComparer.FirstDifference(JsonNode.Parse("""{"a":{"b":1}}"""), JsonNode.Parse("""{"a":{"b":2}}"""), ""), Is.EqualTo(".a.b"));
        });
    }

    [Test]
    public void ScalarListsAreAtomic()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Satisfied("""{"args":["a","b"]}""", """{"args":["a","b"]}"""), Is.True);
            Assert.That(Satisfied("""{"args":["a","b"]}""", """{"args":["b","a"]}"""), Is.False);
            Assert.That(Satisfied("""{"args":["a"]}""", """{"args":["a","b"]}"""), Is.False);
        });
    }

    [Test]
    public void NamedItemsMatchByNameAndToleratesOtherManagersItems()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Satisfied("""{"containers":[{"name":"w","image":"i"}]}""", """{"containers":[{"name":"sidecar"},{"name":"w","image":"i","imagePullPolicy":"Always"}]}"""), Is.True);
            Assert.That(Satisfied("""{"containers":[{"name":"w","image":"i"}]}""", """{"containers":[{"name":"w","image":"j"}]}"""), Is.False);
            Assert.That(Satisfied("""{"containers":[{"name":"w"}]}""", """{"containers":[{"name":"x"}]}"""), Is.False);
        });
    }

    [Test]
    public void QuantitiesCompareByValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Satisfied("""{"cpu":"1000m"}""", """{"cpu":"1"}"""), Is.True);
            Assert.That(Satisfied("""{"memory":"1Gi"}""", """{"memory":"1073741824"}"""), Is.True);
            Assert.That(Satisfied("""{"cpu":"500m"}""", """{"cpu":"1"}"""), Is.False);
            Assert.That(Satisfied("""{"v":1}""", """{"v":1.0}"""), Is.True);
            Assert.That(Satisfied("""{"v":"1"}""", """{"v":1}"""), Is.False);
        });
    }
}
