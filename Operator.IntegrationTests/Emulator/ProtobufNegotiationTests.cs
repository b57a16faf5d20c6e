// The emulator's protobuf content negotiation over raw HTTP, where kubectl cannot show it: which media type an answer
// takes, that a kind without a protobuf form is refused with 415, and that RBAC decisions reach
// `kubectl auth can-i` through a protobuf SelfSubjectAccessReview.
using System.Net.Http.Headers;
using Google.Protobuf;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class ProtobufNegotiationTests
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    private EmulatorSession session = null!;

    private HttpClient http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        session = await EmulatorSession.StartAsync(new EmulatorOptions { Authorization = AuthorizationMode.Rbac });
        http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Add("Impersonate-User", "root");
        http.DefaultRequestHeaders.Add("Impersonate-Group", UserInfo.MastersGroup);
    }

    [TearDown]
    public async Task StopAsync()
    {
        http?.Dispose();
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }

    [TestCase(Protobuf + ",application/json", Protobuf)]
    [TestCase("application/json," + Protobuf, "application/json")]
    [TestCase(Protobuf + ";as=Table;g=meta.k8s.io;v=v1,application/json", "application/json")]
    public async Task AnswersInThePreferredMediaType(string accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default");
        request.Headers.Accept.ParseAdd(accept);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(expected));
            Assert.That(body.Take(4).ToArray(), expected == Protobuf ? Is.EqualTo("k8s\0"u8.ToArray()) : Is.Not.EqualTo("k8s\0"u8.ToArray()));
        });
    }

    [Test]
    public async Task ListsAndErrorsAreProtobufToo()
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        list.Headers.Accept.ParseAdd(Protobuf + ",application/json");
        using var listed = await http.SendAsync(list);
        Assert.That(listed.Content.Headers.ContentType?.MediaType, Is.EqualTo(Protobuf));
        using var missing = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/absent");
        missing.Headers.Accept.ParseAdd(Protobuf + ",application/json");
        using var notFound = await http.SendAsync(missing);
        var body = await notFound.Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(notFound.Content.Headers.ContentType?.MediaType, Is.EqualTo(Protobuf));
            Assert.That(System.Text.Encoding.UTF8.GetString(body), Does.Contain("Status").And.Contain("namespaces \"absent\" not found"));
        });
    }

    [Test]
    public async Task KindWithoutProtobufFormIs415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/default/ingresses")
        {
            Content = new ByteArrayContent(Envelope("networking.k8s.io/v1", "Ingress")),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AuthCanIFollowsRbac()
    {
        var nobody = session.KubectlFor("nobody");
        var denied = await nobody.RunAsync("auth", "can-i", "delete", "secrets", "-n", "default");
        Assert.That((denied.ExitCode, denied.Output.Trim()), Is.EqualTo((1, "no")), denied.Error);
        var root = session.KubectlFor("root", [UserInfo.MastersGroup]);
        var allowed = await root.RunAsync("auth", "can-i", "delete", "secrets", "-n", "default");
        Assert.That((allowed.ExitCode, allowed.Output.Trim()), Is.EqualTo((0, "yes")), allowed.Error);
    }

    /// <summary>An enveloped object with an empty body: "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}}.</summary>
    private static byte[] Envelope(string apiVersion, string kind)
    {
        var typeMeta = new byte[CodedOutputStream.ComputeStringSize(apiVersion) + CodedOutputStream.ComputeStringSize(kind) + 2];
        var typeMetaOutput = new CodedOutputStream(typeMeta);
        typeMetaOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(apiVersion);
        typeMetaOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(kind);
        typeMetaOutput.Flush();
        using var stream = new MemoryStream();
        stream.Write("k8s\0"u8);
        var output = new CodedOutputStream(stream);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(typeMeta));
        output.Flush();
        return stream.ToArray();
    }
}
