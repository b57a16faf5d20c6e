// The Kubernetes API emulator as its own process, with two kubeconfigs: one for the benchmark's load client and
// one for the operator, naming different users so the audit log attributes every write.
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using k8s;

using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>A running emulator, its clients' kubeconfigs and its audit endpoint.</summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    public const string LoadUser = "benchmark-load";
    public const string OperatorUser = "celery-operator";

    private readonly LocalProcess process;
    private readonly string directory;
    private readonly HttpClient http;

    private EmulatorProcess(LocalProcess process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
        http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public string LoadKubeconfig => Path.Combine(directory, "load.kubeconfig");

    public string OperatorKubeconfig => Path.Combine(directory, "operator.kubeconfig");

    public static async Task<EmulatorProcess> StartAsync(RepositoryLayout layout, TimeSpan deploymentDelay, string? logDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var directory = Directory.CreateTempSubdirectory("celery-benchmark-").FullName;
        var load = Path.Combine(directory, "load.kubeconfig");
        var process = DotnetProgram.Start("emulator", layout.EmulatorAssembly,
        [
            "--port", "0", "--kubeconfig", load, "--user", LoadUser,
            "--deployment-controller-delay", $"{deploymentDelay.TotalMilliseconds:F0}ms",
            "--watch-history", "200000",
            // A request log line per call would cost the emulator (and the reader of its output) more than many
            // of the calls themselves; a real API server does not log every request either.
            "--log-level", "Warning",
        ], logDirectory: logDirectory);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!File.Exists(load) || new FileInfo(load).Length == 0)
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the emulator did not write its kubeconfig:{Environment.NewLine}{process.Output}");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            // The writer may still be flushing; read until the file parses.
            var text = await File.ReadAllTextAsync(load, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(directory, "operator.kubeconfig"), text.Replace($"\"{LoadUser}\"", $"\"{OperatorUser}\"", StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(load);
            return new EmulatorProcess(process, directory, new Uri(configuration.Host));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Kubernetes CreateLoadClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(LoadKubeconfig));

    /// <summary>Writes (create, update, patch, delete, deletecollection) the operator sent since the audit was last cleared.</summary>
    public async Task<IReadOnlyList<AuditRecord>> OperatorWritesAsync(CancellationToken cancellationToken) =>
        [.. (await OperatorRequestsAsync(cancellationToken).ConfigureAwait(false)).Where(e => e.IsWrite)];

    /// <summary>Every request the operator made since the audit log was last cleared.</summary>
    public async Task<IReadOnlyList<AuditRecord>> OperatorRequestsAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<AuditRecord>>($"/emulator/audit?user={OperatorUser}", cancellationToken).ConfigureAwait(false) ?? [];

    public async Task ClearAuditAsync(CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(new Uri("/emulator/audit", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }
}

/// <summary>One audit entry as the emulator's control endpoint serves it.</summary>
public sealed record AuditRecord(
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("verb")] string? Verb,
    [property: JsonPropertyName("resource")] string? Resource,
    [property: JsonPropertyName("subresource")] string? Subresource,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string? Name)
{
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
