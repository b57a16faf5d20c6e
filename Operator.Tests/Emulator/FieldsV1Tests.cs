using Operator.Emulator.Patching;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class FieldsV1Tests
{
    [Test]
    public void DecodesAndEncodesTheSameSet()
    {
        const string encoded = """
            {"f:metadata":{"f:labels":{".":{},"f:app":{}},"f:finalizers":{"v:\"a\"":{}}},
             "f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}},"f:replicas":{}}}
            """;
        var set = FieldsV1.Decode(Obj(encoded));

        AssertJsonEqual(FieldsV1.Encode(set), encoded);
        Assert.That(set.Members().Select(PathElement.Describe), Is.EquivalentTo(new[]
        {
            ".metadata.labels", ".metadata.labels.app", ".metadata.finalizers[=\"a\"]",
            ".spec.containers[name=\"app\"]", ".spec.containers[name=\"app\"].image", ".spec.containers[name=\"app\"].name",
            ".spec.replicas",
        }));
    }

    [Test]
    public void IgnoresARootMemberMarkAndRejectsMalformedElements()
    {
        Assert.That(FieldsV1.Decode(Obj("""{".":{},"f:a":{}}""")).IsMember, Is.False);
        var error = Assert.Throws<PatchException>(() => FieldsV1.Decode(Obj("""{"spec":{}}""")));
        Assert.That(error!.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void KeyElementsAreCanonical() =>
        Assert.That(
            PathElement.Key(Obj("""{"protocol":"TCP","containerPort":80.0}""")),
            Is.EqualTo(PathElement.Key(Obj("""{"containerPort":80,"protocol":"TCP"}"""))));
}
