using System.Text;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class ListPageBodyTests
{
    private static Task<ListPageBody> Read(string json, bool withLength = false) =>
        ListPageBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), withLength ? Encoding.UTF8.GetByteCount(json) : null, CancellationToken.None);

    [Test]
    public async Task ReadsTheContinueTokenAndResourceVersionFromTheFront()
    {
        using var page = await Read("""{"kind":"ConfigMapList","metadata":{"resourceVersion":"42","continue":"abc","remainingItemCount":3},"items":[{"a":1}]}""");

        Assert.Multiple(() =>
        {
            Assert.That(page.Continue, Is.EqualTo("abc"));
            Assert.That(page.ResourceVersion, Is.EqualTo("42"));
        });
    }

    [Test]
    public async Task FindsMetadataAfterTheItemsAndToleratesItsAbsence()
    {
        using var late = await Read("""{"items":[{"metadata":{"continue":"not this"}}],"metadata":{"continue":"late"}}""");
        using var none = await Read("""{"items":[]}""");

        Assert.Multiple(() =>
        {
            Assert.That(late.Continue, Is.EqualTo("late"), "an item's own metadata is not the list's");
            Assert.That(none.Continue, Is.Null);
            Assert.That(none.ResourceVersion, Is.Null);
        });
    }

    [Test]
    public async Task ReadsBodiesLargerThanItsFirstBufferWhetherOrNotTheLengthIsKnown()
    {
        var items = string.Join(",", Enumerable.Range(0, 5000).Select(i => $$"""{"name":"item-{{i}}"}"""));
        var json = $$"""{"metadata":{"resourceVersion":"7"},"items":[{{items}}]}""";

        foreach (var withLength in new[] { false, true })
        {
            using var page = await Read(json, withLength);
            using var document = page.Parse();
            Assert.That(document.RootElement.GetProperty("items").GetArrayLength(), Is.EqualTo(5000));
            Assert.That(Encoding.UTF8.GetString(page.Body.Span), Is.EqualTo(json));
        }
    }

    [Test]
    public void RejectsABodyThatIsNotAnObject() =>
        Assert.ThrowsAsync<System.Text.Json.JsonException>(() => Read("[1,2]"));

    [Test]
    public async Task CannotBeReadAfterDisposal()
    {
        var page = await Read("""{"metadata":{}}""");
        page.Dispose();
        page.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _ = page.Body);
    }
}
