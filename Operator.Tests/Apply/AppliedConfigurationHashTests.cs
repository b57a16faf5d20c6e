using System.Text.Json.Nodes;
using Operator.Runtime.Apply;

namespace Operator.Tests.Apply;

public sealed class AppliedConfigurationHashTests
{
    [Test]
    public void HashChangesWhenAFieldIsRemovedAndIgnoresKeyOrder()
    {
        var full = JsonNode.Parse("""{"metadata":{"name":"x"},"spec":{"a":1,"b":2}}""")!.AsObject();
        var reordered = JsonNode.Parse("""{"spec":{"b":2,"a":1},"metadata":{"name":"x"}}""")!.AsObject();
        var removed = JsonNode.Parse("""{"metadata":{"name":"x"},"spec":{"a":1}}""")!.AsObject();
        var hash = AppliedConfigurationHash.Stamp(full, "example.com/applied");
        Assert.Multiple(() =>
        {
            Assert.That(AppliedConfigurationHash.Stamp(reordered, "example.com/applied"), Is.EqualTo(hash));
            Assert.That(AppliedConfigurationHash.Stamp(removed, "example.com/applied"), Is.Not.EqualTo(hash));
            Assert.That(full["metadata"]!["annotations"]!["example.com/applied"]!.GetValue<string>(), Is.EqualTo(hash));
            Assert.That(AppliedConfigurationHash.Stamp(full, "example.com/applied"), Is.EqualTo(hash), "stamping again is stable");
        });
    }
}
