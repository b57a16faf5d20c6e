// Watch behaviour that only the emulator can be made to show on demand: compaction, a small history window,
// closed, stalled and hung streams, and resourceVersions expired for one resource.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
[EmulatorOnly("closes and expires watches through the emulator's fault injection")]
internal sealed class WatchFaultTests : EmulatorSessionTest
{
    [Test]
    public async Task WatchFromCompactedVersionGetsExpiredError()
    {
        var a = await CreateConfigMapAsync("a");
        await CreateConfigMapAsync("b");
        Session.Emulator.Faults.CompactHistory();
        await using var watch = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        Assert.That(watch.StatusCode, Is.EqualTo(200));
        var error = await watch.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(RawWatch.Type(error!), Is.EqualTo("ERROR"));
            Assert.That(error!["object"]!["code"]!.GetValue<int>(), Is.EqualTo(410));
            Assert.That(error["object"]!["reason"]!.GetValue<string>(), Is.EqualTo("Expired"));
            Assert.That(error["object"]!["message"]!.GetValue<string>(), Does.StartWith("too old resource version"));
        });
        Assert.That(await watch.NextAsync(), Is.Null, "the stream ends after the error");
    }

    [Test]
    public async Task HistoryWindowIsBounded()
    {
        await using var small = await EmulatorSession.StartAsync(new EmulatorOptions { WatchHistorySize = 3 });
        var first = await small.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        for (var i = 0; i < 5; i++)
        {
            await small.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"n{i}" } }, "default");
        }

        await using var watch = await RawWatch.OpenAsync(small.Emulator.BaseAddress, $"/api/v1/configmaps?watch=true&resourceVersion={first.Metadata.ResourceVersion}");
        Assert.That(RawWatch.Type((await watch.NextAsync())!), Is.EqualTo("ERROR"));
    }

    [Test]
    public async Task HistoryWindowIsKeptPerResourceType()
    {
        await using var small = await EmulatorSession.StartAsync(new EmulatorOptions { WatchHistorySize = 20 });
        var before = await small.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "before" } }, "default");
        for (var i = 0; i < 50; i++)
        {
            await small.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"n{i}" } }, "default");
        }

        await small.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "after" } }, "default");
        await using var secrets = await RawWatch.OpenAsync(small.Emulator.BaseAddress, $"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={before.Metadata.ResourceVersion}");
        var first = await secrets.NextAsync();
        Assert.That((RawWatch.Type(first!), RawWatch.Name(first!)), Is.EqualTo(("ADDED", "after")), "writes to ConfigMaps do not expire a watch of Secrets");
        await using var configMaps = await RawWatch.OpenAsync(small.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={before.Metadata.ResourceVersion}");
        Assert.That(RawWatch.Type((await configMaps.NextAsync())!), Is.EqualTo("ERROR"), "each type's window is still bounded");
    }

    [Test]
    public async Task CloseAllWatchesEndsStreamsAndClientCanResume()
    {
        var a = await CreateConfigMapAsync("a");
        await using var watch = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        await CreateConfigMapAsync("b");
        var seen = await watch.ReadUntilAsync(change => RawWatch.Name(change) == "b");
        Session.Emulator.Faults.CloseAllWatches();
        Assert.That(await watch.NextAsync(), Is.Null);
        var lastVersion = seen[^1]["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await CreateConfigMapAsync("c");
        await using var resumed = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={lastVersion}");
        Assert.That(RawWatch.Name((await resumed.NextAsync())!), Is.EqualTo("c"));
    }

    [Test]
    public async Task HungWatchStaysSilentPastItsTimeoutWhileNewWatchesAreServed()
    {
        var a = await CreateConfigMapAsync("a");
        await using var hung = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion={a.Metadata.ResourceVersion}");
        using var http = new HttpClient { BaseAddress = Session.Emulator.BaseAddress };
        Assert.That((await http.PostAsync("/emulator/faults/hang-watches", null)).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NoContent));
        await CreateConfigMapAsync("during");
        var pending = hung.NextAsync(TimeSpan.FromSeconds(30));
        var first = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.That(first, Is.Not.SameAs(pending), "a hung stream neither sends the change nor ends at its 1 s timeout");
        await using var fresh = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5&resourceVersion={a.Metadata.ResourceVersion}");
        var change = await fresh.NextAsync();
        Assert.That((RawWatch.Type(change!), RawWatch.Name(change!)), Is.EqualTo(("ADDED", "during")), "a watch opened after the hang is served");
        Session.Emulator.Faults.CloseAllWatches();
        Assert.That(await pending, Is.Null, "closing the watches ends the hung stream");
    }

    [Test]
    public async Task ExpiredResourceVersionFailsOnlyThatResourcesWatches()
    {
        var a = await CreateConfigMapAsync("a");
        var secret = await Session.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default");
        await CreateConfigMapAsync("b");
        using var http = new HttpClient { BaseAddress = Session.Emulator.BaseAddress };
        var expired = await http.PostAsync($"/emulator/faults/expire-watches?resource=configmaps&resourceVersion={a.Metadata.ResourceVersion}", null);
        Assert.That(expired.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NoContent));

        await using var old = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        var error = await old.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(RawWatch.Type(error!), Is.EqualTo("ERROR"));
            Assert.That(error!["object"]!["code"]!.GetValue<int>(), Is.EqualTo(410));
        });
        await using var secrets = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        Assert.That(RawWatch.Name((await secrets.NextAsync())!), Is.EqualTo("s"), "another resource's watch from the same version is served");
        await using var newer = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={secret.Metadata.ResourceVersion}");
        Assert.That((RawWatch.Type((await newer.NextAsync())!)), Is.EqualTo("ADDED"), "a watch from a newer version (after a relist) is served");
    }

    [Test]
    public async Task StalledWatchDeliversNothingUntilReleased()
    {
        await using var watch = await RawWatch.OpenAsync(Session.Emulator.BaseAddress, "/api/v1/namespaces/default/configmaps?watch=true");
        Session.Emulator.Faults.StallWatches(true);
        await CreateConfigMapAsync("a");
        var pending = watch.NextAsync(TimeSpan.FromSeconds(10));
        var first = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.That(first, Is.Not.SameAs(pending), "a stalled watch sends nothing");
        Session.Emulator.Faults.StallWatches(false);
        var change = await pending;
        Assert.That((RawWatch.Type(change!), RawWatch.Name(change!)), Is.EqualTo(("ADDED", "a")));
    }
}
