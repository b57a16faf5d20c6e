using System.Text;
using System.Text.Json;
using Operator.Runtime.Apply;

namespace Operator.Tests.Apply;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonDocument.Parse(json).RootElement));

    [Test]
    public void SortsKeysDropsNullsAndEmptyListsAndNormalizesNumbersAndQuantities() =>
        Assert.That(Canonical("""{"b":[1.50,"1000m"],"a":null,"c":[],"d":{"y":2.0,"x":"text"}}"""), Is.EqualTo("""{"b":[1.5,"1"],"d":{"x":"text","y":2}}"""));

    [Test]
    public void AFieldSetKeepsOnlyTheFieldsAndListItemsItNames()
    {
        var value = JsonDocument.Parse("""{"keep":1,"drop":2,"items":[{"name":"a","v":1,"w":9},{"name":"b","v":2}]}""").RootElement;
        var set = JsonDocument.Parse("""{"f:keep":{},"f:items":{"k:{\"name\":\"b\"}":{".":{},"f:name":{},"f:v":{}}}}""").RootElement;
        Assert.That(Encoding.UTF8.GetString(CanonicalJson.Serialize(value, set)), Is.EqualTo("""{"items":[{"name":"b","v":2}],"keep":1}"""));
    }

    [TestCase("""{"s":"a<b&c\u00e9"}""", """{"s":"a\u003cb\u0026cé"}""")]
    [TestCase("""{"s":"caf\u00e9","n":10}""", """{"n":10,"s":"café"}""")]
    [TestCase("""{"n":[0,-0,12,1e2,-3]}""", """{"n":[0,0.0,12,100,-3.0]}""")]
    public void HowTheSourceEscapedAStringOrWroteANumberDoesNotChangeTheForm(string left, string right) =>
        Assert.That(Canonical(left), Is.EqualTo(Canonical(right)));

    [Test]
    public void StringsAreWrittenUnescapedWhereJsonAllows() =>
        Assert.That(Canonical("""{"s":"worker \u0022x\u0022","t":"plain"}"""), Is.EqualTo("""{"s":"worker \u0022x\u0022","t":"plain"}"""));
}
