// What metadata informers and access checks need from the API: objects, lists and watch events as
// meta.k8s.io/v1 PartialObjectMetadata when the Accept header asks for them (controller-runtime's metadata
// informers send exactly these headers), and the TokenReview and (Self)SubjectAccessReview APIs answered from the
// emulator's users and authorizer. Responses are read with KubernetesClient's own models.
using System.Net.Http.Headers;
using System.Text;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[Parallelizable(ParallelScope.Children)]
internal sealed class MetadataAndReviewTests
{
    // As controller-runtime's metadata client sends them.
    private const string ListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1,application/json";
    private const string ObjectAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1,application/json";

    private static HttpClient Http(EmulatorSession session, string user, string accept)
    {
        var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user);
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        return http;
    }

    private static V1Secret Secret(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "shop" } },
        StringData = new Dictionary<string, string> { ["url"] = value },
    };

    [Test]
    public async Task SecretsAreListedReadAndWatchedAsMetadataOnlyWhenAsked()
    {
        await using var session = await EmulatorSession.StartAsync();
        await session.Client.CoreV1.CreateNamespacedSecretAsync(Secret("broker", "redis://:hunter2@redis:6379/0"), "default");
        using var lists = Http(session, session.User, ListAccept);
        using var objects = Http(session, session.User, ObjectAccept);

        var listText = await lists.GetStringAsync("/api/v1/namespaces/default/secrets");
        var list = KubernetesJson.Deserialize<PartialObjectList>(listText);
        var getText = await objects.GetStringAsync("/api/v1/namespaces/default/secrets/broker");
        var one = KubernetesJson.Deserialize<PartialObject>(getText);
        Assert.Multiple(() =>
        {
            Assert.That(list.Kind, Is.EqualTo("PartialObjectMetadataList"));
            Assert.That(list.ApiVersion, Is.EqualTo("meta.k8s.io/v1"));
            Assert.That(list.Metadata.ResourceVersion, Is.Not.Empty);
            Assert.That(list.Items.Select(i => (i.Kind, i.ApiVersion, i.Metadata.Name)), Is.EqualTo(new[] { ("PartialObjectMetadata", "meta.k8s.io/v1", "broker") }));
            Assert.That(list.Items[0].Metadata.Labels["app"], Is.EqualTo("shop"));
            Assert.That(one.Metadata.ResourceVersion, Is.Not.Empty);
            Assert.That(listText + getText, Does.Not.Contain("hunter2").And.Not.Contain("\"data\""), "no Secret data in a metadata-only answer");
        });

        // A watch from the list's resourceVersion sees the change as PartialObjectMetadata, without the data.
        using var watch = await objects.GetAsync($"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={list.Metadata.ResourceVersion}&timeoutSeconds=5",
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
        await session.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("{\"stringData\":{\"url\":\"redis://:rotated@redis:6379/0\"}}", V1Patch.PatchType.MergePatch), "broker", "default");
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var change = KubernetesJson.Deserialize<Watcher<PartialObject>.WatchEvent>(line!);
        Assert.Multiple(() =>
        {
            Assert.That(change.Type, Is.EqualTo(WatchEventType.Modified));
            Assert.That(change.Object.Kind, Is.EqualTo("PartialObjectMetadata"));
            Assert.That(change.Object.Metadata.ResourceVersion, Is.Not.EqualTo(one.Metadata.ResourceVersion));
            Assert.That(line, Does.Not.Contain("rotated"));
        });
    }

    [Test]
    public async Task MetadataOnlyAnswersAboutALargeSecretCarryExactlyItsMetadata()
    {
        await using var session = await EmulatorSession.StartAsync();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "large",
                Labels = new Dictionary<string, string> { ["app"] = "shop" },
                Annotations = new Dictionary<string, string> { ["note"] = "a \"quoted\" <tag> & caf\u00e9 \ud83d\ude00", ["metadata"] = "not the metadata" },
                Finalizers = ["example.com/keep"],
            },
            // 200 KiB of data, ahead of nothing and behind metadata: what a metadata-only answer must not carry.
            Data = new Dictionary<string, byte[]> { ["blob"] = Encoding.ASCII.GetBytes(new string('x', 200 * 1024)), ["metadata"] = Encoding.ASCII.GetBytes("{}") },
        };
        await session.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");
        using var lists = Http(session, session.User, ListAccept);
        using var objects = Http(session, session.User, ObjectAccept);
        using var whole = Http(session, session.User, "application/json");

        var expected = JsonNode.Parse(await whole.GetStringAsync("/api/v1/namespaces/default/secrets/large"))!["metadata"]!;
        var list = JsonNode.Parse(await lists.GetStringAsync("/api/v1/namespaces/default/secrets"))!;
        var one = JsonNode.Parse(await objects.GetStringAsync("/api/v1/namespaces/default/secrets/large"))!;
        using var watch = await objects.GetAsync("/api/v1/namespaces/default/secrets?watch=true&resourceVersion=0&timeoutSeconds=5", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
        var added = JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!)!;

        var answers = new Dictionary<string, JsonNode>
        {
            ["list item"] = list["items"]!.AsArray().Single()!,
            ["get"] = one,
            ["watch event"] = added["object"]!,
        };
        Assert.Multiple(() =>
        {
            Assert.That(expected["annotations"]!["note"]!.GetValue<string>(), Is.EqualTo(secret.Metadata.Annotations["note"]));
            foreach (var (name, answer) in answers)
            {
                Assert.That(answer.AsObject().Select(member => member.Key), Is.EqualTo(new[] { "kind", "apiVersion", "metadata" }), name);
                Assert.That(answer["metadata"]!.ToJsonString(), Is.EqualTo(expected.ToJsonString()), $"{name}: the object's metadata, exactly");
            }

            Assert.That(added["type"]!.GetValue<string>(), Is.EqualTo("ADDED"));
        });
    }

    [Test]
    public async Task TokenReviewsAuthenticateOnlyTokensTheEmulatorIssued()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions { Authorization = AuthorizationMode.Rbac });
        session.KubeconfigFor("system:serviceaccount:monitoring:prometheus");

        async Task<V1TokenReview> ReviewAsync(string token) => await session.Client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = token },
        });

        var known = await ReviewAsync("system:serviceaccount:monitoring:prometheus");
        var unknown = await ReviewAsync("not-a-token");
        Assert.Multiple(() =>
        {
            Assert.That(known.Status.Authenticated, Is.True);
            Assert.That(known.Status.User.Username, Is.EqualTo("system:serviceaccount:monitoring:prometheus"));
            Assert.That(known.Status.User.Groups, Is.SupersetOf(new[] { "system:serviceaccounts", "system:serviceaccounts:monitoring", UserInfo.AuthenticatedGroup }));
            Assert.That(unknown.Status.Authenticated, Is.Not.True);
            Assert.That(unknown.Status.Error, Is.Not.Empty);
        });
    }

    [Test]
    public async Task AccessReviewsAnswerFromTheRbacObjectsInTheStore()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions { Authorization = AuthorizationMode.Rbac });
        const string Reader = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: metrics-reader\nrules:\n  - nonResourceURLs: [/metrics]\n    verbs: [get]\n"
            + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: prometheus-reads-metrics\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: metrics-reader\n"
            + "subjects:\n  - kind: ServiceAccount\n    name: prometheus\n    namespace: monitoring\n";
        (await session.Kubectl.RunWithInputAsync(Reader, "apply", "--server-side", "-f", "-")).EnsureSuccess();

        async Task<bool> MayGetMetricsAsync(string user, params string[] groups) => (await session.Client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = user, Groups = groups, NonResourceAttributes = new V1NonResourceAttributes { Path = "/metrics", Verb = "get" } },
        })).Status.Allowed;

        using var alice = session.ClientFor("alice");
        var self = await alice.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "list", Resource = "secrets", NamespaceProperty = "default" } },
        });
        using var http = Http(session, "alice", "application/json");
        using var refused = await http.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
            new StringContent("{\"spec\":{\"user\":\"alice\",\"nonResourceAttributes\":{\"path\":\"/metrics\",\"verb\":\"get\"}}}", Encoding.UTF8, "application/json"));
        Assert.Multiple(async () =>
        {
            Assert.That(await MayGetMetricsAsync("system:serviceaccount:monitoring:prometheus", "system:serviceaccounts"), Is.True);
            Assert.That(await MayGetMetricsAsync("system:serviceaccount:monitoring:grafana", "system:serviceaccounts"), Is.False);
            Assert.That(await MayGetMetricsAsync("root", UserInfo.MastersGroup), Is.True);
            Assert.That(self.Status.Allowed, Is.False, "alice may not list secrets");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "asking about others needs create on subjectaccessreviews");
        });
    }

    /// <summary>meta.k8s.io/v1 PartialObjectMetadata (KubernetesClient has no model of it).</summary>
    internal sealed class PartialObject : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public V1ObjectMeta Metadata { get; set; } = new();
    }

    /// <summary>meta.k8s.io/v1 PartialObjectMetadataList.</summary>
    internal sealed class PartialObjectList
    {
        public string ApiVersion { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public V1ListMeta Metadata { get; set; } = new();

        public IList<PartialObject> Items { get; set; } = [];
    }
}
