// The emulator's kubeconfig as written works with @kubernetes/client-node, which refuses a plain-HTTP server unless
// the cluster says insecure-skip-tls-verify. scripts/install-test-deps.sh installs the client and Node.js 22 into
// .tools/client-node; without them the test is skipped with the reason.

namespace Operator.IntegrationTests.Emulator;

public sealed class ClientNodeTests
{
    private static readonly string Folder = RepositoryRoot.File(".tools/client-node");
    private static readonly string Node = Path.Combine(Folder, "node_modules", ".bin", "node");

    [Test]
    public async Task TheJavaScriptClientListsNamespacesThroughTheWrittenKubeconfig()
    {
        if (!File.Exists(Node) || !Directory.Exists(Path.Combine(Folder, "node_modules", "@kubernetes", "client-node")))
        {
            Assert.Ignore($"@kubernetes/client-node or Node.js 22 is not installed in {Folder}; scripts/install-test-deps.sh installs them with npm");
        }

        await using var session = await EmulatorSession.StartAsync();
        // The script must sit beside node_modules for its import to resolve.
        var script = Path.Combine(Folder, $"list-namespaces-{Guid.NewGuid():N}.mjs");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Emulator", "client-node", "list-namespaces.mjs"), script);
        try
        {
            var result = await LocalProcess.RunAsync(Node, [script, session.KubeconfigPath], new Dictionary<string, string?>(), Folder, TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.Zero, result.ToString());
                Assert.That(result.Output.Trim().Split(','), Is.SupersetOf(new[] { "default", "kube-system" }), result.Output);
            });
        }
        finally
        {
            File.Delete(script);
        }
    }
}
