// kube-apiserver keeps one Event store and serves it as core v1 and as events.k8s.io/v1: an Event written through
// either API is read, listed, watched and deleted through both, its fields renamed by the versions' conversion
// (involvedObject/regarding, message/note, source/deprecatedSource, count/deprecatedCount, firstTimestamp and
// lastTimestamp/deprecated*, reportingComponent/reportingController; the other fields keep their names).

namespace Operator.IntegrationTests.Emulator;

public sealed class EventApiVersionsTests(ClusterTarget target) : ConformanceFixture(target)
{
    private static readonly DateTime First = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static readonly DateTime Last = First.AddMinutes(5);

    [Test]
    public async Task ACoreEventIsReadThroughEventsV1WithItsFieldsRenamed()
    {
        var subject = await SubjectAsync("core-subject");
        await Cluster.Client.CoreV1.CreateNamespacedEventAsync(CoreEvent("from-core", subject), Cluster.Namespace);

        var read = await Cluster.Client.EventsV1.ReadNamespacedEventAsync("from-core", Cluster.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(read.ApiVersion, Is.EqualTo("events.k8s.io/v1"));
            Assert.That(read.Regarding.Kind, Is.EqualTo("ConfigMap"));
            Assert.That(read.Regarding.Name, Is.EqualTo("core-subject"));
            Assert.That(read.Regarding.Uid, Is.EqualTo(subject.Metadata.Uid));
            Assert.That(read.Note, Is.EqualTo("written through core v1"));
            Assert.That(read.Reason, Is.EqualTo("Tested"));
            Assert.That(read.Type, Is.EqualTo("Normal"));
            Assert.That(read.DeprecatedSource?.Component, Is.EqualTo("conformance"));
            Assert.That(read.DeprecatedCount, Is.EqualTo(3));
            Assert.That(read.DeprecatedFirstTimestamp, Is.EqualTo(First));
            Assert.That(read.DeprecatedLastTimestamp, Is.EqualTo(Last));
        });

        var listed = await Cluster.Client.EventsV1.ListNamespacedEventAsync(Cluster.Namespace);
        Assert.That(listed.Items.Select(item => item.Metadata.Name), Does.Contain("from-core"));
        Assert.That(listed.Items.Single(item => item.Metadata.Name == "from-core").Note, Is.EqualTo("written through core v1"));
    }

    [Test]
    public async Task AnEventsV1EventIsReadThroughCoreWithItsFieldsRenamed()
    {
        var subject = await SubjectAsync("events-subject");
        var eventTime = DateTime.UtcNow;
        await Cluster.Client.EventsV1.CreateNamespacedEventAsync(EventsEvent("from-events", subject, eventTime), Cluster.Namespace);

        var read = await Cluster.Client.CoreV1.ReadNamespacedEventAsync("from-events", Cluster.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(read.ApiVersion, Is.EqualTo("v1"));
            Assert.That(read.InvolvedObject.Name, Is.EqualTo("events-subject"));
            Assert.That(read.InvolvedObject.Uid, Is.EqualTo(subject.Metadata.Uid));
            Assert.That(read.Message, Is.EqualTo("written through events.k8s.io"));
            Assert.That(read.ReportingComponent, Is.EqualTo("conformance-controller"));
            Assert.That(read.ReportingInstance, Is.EqualTo("conformance-1"));
            Assert.That(read.Action, Is.EqualTo("Testing"));
            Assert.That(read.Reason, Is.EqualTo("Tested"));
            Assert.That(read.Type, Is.EqualTo("Warning"));
            Assert.That(read.EventTime, Is.Not.Null);
            Assert.That(read.Related?.Name, Is.EqualTo("related-subject"));
        });

        var listed = await Cluster.Client.CoreV1.ListNamespacedEventAsync(Cluster.Namespace);
        Assert.That(listed.Items.Single(item => item.Metadata.Name == "from-events").Message, Is.EqualTo("written through events.k8s.io"));
    }

    [Test]
    public async Task AWatchOfEventsV1SeesWritesThroughCore()
    {
        var subject = await SubjectAsync("watched-subject");
        var start = await Cluster.Client.EventsV1.ListNamespacedEventAsync(Cluster.Namespace);
        await using var watch = await Cluster.WatchAsync(
            $"/apis/events.k8s.io/v1/namespaces/{Cluster.Namespace}/events?watch=true&resourceVersion={start.Metadata.ResourceVersion}");

        await Cluster.Client.CoreV1.CreateNamespacedEventAsync(CoreEvent("core-write", subject), Cluster.Namespace);
        var added = (await watch.ReadUntilAsync(change => RawWatch.Name(change) == "core-write"))[^1];
        Assert.Multiple(() =>
        {
            Assert.That(RawWatch.Type(added), Is.EqualTo("ADDED"));
            Assert.That(added["object"]!["apiVersion"]!.GetValue<string>(), Is.EqualTo("events.k8s.io/v1"));
            Assert.That(added["object"]!["note"]!.GetValue<string>(), Is.EqualTo("written through core v1"));
            Assert.That(added["object"]!["regarding"]!["name"]!.GetValue<string>(), Is.EqualTo("watched-subject"));
        });

        await Cluster.Client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"message":"changed through core v1"}""", V1Patch.PatchType.MergePatch), "core-write", Cluster.Namespace);
        var modified = (await watch.ReadUntilAsync(change => RawWatch.Type(change) == "MODIFIED"))[^1];
        Assert.That(modified["object"]!["note"]!.GetValue<string>(), Is.EqualTo("changed through core v1"));
    }

    [Test]
    public async Task ACoreWatchSeesWritesThroughEventsV1()
    {
        var subject = await SubjectAsync("core-watched");
        var start = await Cluster.Client.CoreV1.ListNamespacedEventAsync(Cluster.Namespace);
        await using var watch = await Cluster.WatchAsync(
            $"/api/v1/namespaces/{Cluster.Namespace}/events?watch=true&resourceVersion={start.Metadata.ResourceVersion}");

        await Cluster.Client.EventsV1.CreateNamespacedEventAsync(EventsEvent("events-write", subject, DateTime.UtcNow), Cluster.Namespace);
        var added = (await watch.ReadUntilAsync(change => RawWatch.Name(change) == "events-write"))[^1];
        Assert.Multiple(() =>
        {
            Assert.That(RawWatch.Type(added), Is.EqualTo("ADDED"));
            Assert.That(added["object"]!["apiVersion"]!.GetValue<string>(), Is.EqualTo("v1"));
            Assert.That(added["object"]!["message"]!.GetValue<string>(), Is.EqualTo("written through events.k8s.io"));
            Assert.That(added["object"]!["involvedObject"]!["name"]!.GetValue<string>(), Is.EqualTo("core-watched"));
        });

        await Cluster.Client.EventsV1.PatchNamespacedEventAsync(new V1Patch("""{"note":"changed through events.k8s.io"}""", V1Patch.PatchType.MergePatch), "events-write", Cluster.Namespace);
        var modified = (await watch.ReadUntilAsync(change => RawWatch.Type(change) == "MODIFIED"))[^1];
        Assert.That(modified["object"]!["message"]!.GetValue<string>(), Is.EqualTo("changed through events.k8s.io"));

        await Cluster.Client.EventsV1.DeleteNamespacedEventAsync("events-write", Cluster.Namespace);
        var deleted = (await watch.ReadUntilAsync(change => RawWatch.Type(change) == "DELETED"))[^1];
        Assert.That(RawWatch.Name(deleted), Is.EqualTo("events-write"));
        var gone = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.ReadNamespacedEventAsync("events-write", Cluster.Namespace));
        Assert.That((int)gone!.Response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    [RequiresKubectl]
    public async Task KubectlShowsTheEventThroughBothApis()
    {
        var subject = await SubjectAsync("kubectl-subject");
        await Cluster.Client.EventsV1.CreateNamespacedEventAsync(EventsEvent("shown-twice", subject, DateTime.UtcNow), Cluster.Namespace);

        var core = (await Cluster.Kubectl.RunAsync("get", "events")).EnsureSuccess().Output;
        var events = (await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io")).EnsureSuccess().Output;
        foreach (var table in new[] { core, events })
        {
            Assert.That(table, Does.Contain("configmap/kubectl-subject").And.Contain("written through events.k8s.io").And.Contain("Tested"));
        }

        var asEvents = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io", "shown-twice", "-o", "json")).EnsureSuccess().Output)!;
        var asCore = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "events", "shown-twice", "-o", "json")).EnsureSuccess().Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(asEvents["note"]!.GetValue<string>(), Is.EqualTo("written through events.k8s.io"));
            Assert.That(asCore["message"]!.GetValue<string>(), Is.EqualTo("written through events.k8s.io"));
            Assert.That(asCore["metadata"]!["uid"]!.GetValue<string>(), Is.EqualTo(asEvents["metadata"]!["uid"]!.GetValue<string>()));
            Assert.That(asCore["metadata"]!["resourceVersion"]!.GetValue<string>(), Is.EqualTo(asEvents["metadata"]!["resourceVersion"]!.GetValue<string>()));
        });
    }

    private Task<V1ConfigMap> SubjectAsync(string name) =>
        Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, Cluster.Namespace);

    private static V1ObjectReference Reference(V1ConfigMap subject) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Name = subject.Metadata.Name,
        NamespaceProperty = subject.Metadata.NamespaceProperty,
        Uid = subject.Metadata.Uid,
    };

    private static Corev1Event CoreEvent(string name, V1ConfigMap subject) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        InvolvedObject = Reference(subject),
        Reason = "Tested",
        Message = "written through core v1",
        Type = "Normal",
        Source = new V1EventSource { Component = "conformance" },
        Count = 3,
        FirstTimestamp = First,
        LastTimestamp = Last,
    };

    private static Eventsv1Event EventsEvent(string name, V1ConfigMap subject, DateTime eventTime) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        EventTime = eventTime,
        Regarding = Reference(subject),
        Related = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "related-subject", NamespaceProperty = subject.Metadata.NamespaceProperty },
        Reason = "Tested",
        Note = "written through events.k8s.io",
        Type = "Warning",
        Action = "Testing",
        ReportingController = "conformance-controller",
        ReportingInstance = "conformance-1",
    };
}
