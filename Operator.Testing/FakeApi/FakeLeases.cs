// The coordination.k8s.io/v1 Leases of FakeKubernetesApi, enough for leader election: read, create (409 when it
// exists), replace with optimistic concurrency (409 on a stale resourceVersion). Invariants: every write takes the
// next resourceVersion of the API's one counter; every write's holder is kept in order ("" is a release) and told
// to OnWritten inside the write, so an observer sees writes in the order the server made them.
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Operator.Testing;

/// <summary>The Leases a <see cref="FakeKubernetesApi"/> serves.</summary>
public sealed class FakeLeases
{
    private const string CollectionPath = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";

    private readonly Lock gate = new();
    private readonly Dictionary<string, V1Lease> leases = new(StringComparer.Ordinal);
    private readonly List<string> holders = [];
    private readonly Func<long> nextVersion;

    internal FakeLeases(Func<long> nextVersion) => this.nextVersion = nextVersion;

    /// <summary>Called on every lease write with its holder, inside the write.</summary>
    public Action<string>? OnWritten { get; set; }

    /// <summary>The holder written by each lease create or update, in order ("" is a release).</summary>
    public IReadOnlyList<string> Holders()
    {
        lock (gate)
        {
            return [.. holders];
        }
    }

    public V1Lease? Get(string ns, string name)
    {
        lock (gate)
        {
            return leases.GetValueOrDefault(Key(ns, name));
        }
    }

    /// <summary>Another party writes itself into the lease, as a partitioned leader's successor would.</summary>
    public void Steal(string ns, string name, string holder)
    {
        lock (gate)
        {
            var lease = leases[Key(ns, name)];
            lease.Spec.HolderIdentity = holder;
            lease.Spec.RenewTime = DateTime.UtcNow;
            Store(Key(ns, name), lease, StatusCodes.Status200OK);
        }
    }

    internal void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(CollectionPath + "/{name}", Read);
        routes.MapPost(CollectionPath, CreateAsync);
        routes.MapPut(CollectionPath + "/{name}", ReplaceAsync);
    }

    private static string Key(string ns, string name) => $"{ns}/{name}";

    private static IResult Failure(int code, string reason) =>
        Results.Text(WatchLines.Status(code, reason), "application/json", statusCode: code);

    private static async Task<V1Lease> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return KubernetesJson.Deserialize<V1Lease>(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
    }

    private IResult Read(string ns, string name)
    {
        lock (gate)
        {
            return leases.TryGetValue(Key(ns, name), out var lease)
                ? Results.Text(KubernetesJson.Serialize(lease), "application/json")
                : Failure(StatusCodes.Status404NotFound, "NotFound");
        }
    }

    private async Task<IResult> CreateAsync(string ns, HttpRequest request)
    {
        var lease = await ReadBodyAsync(request);
        lock (gate)
        {
            var key = Key(ns, lease.Metadata.Name);
            return leases.ContainsKey(key)
                ? Failure(StatusCodes.Status409Conflict, "AlreadyExists")
                : Store(key, lease, StatusCodes.Status201Created);
        }
    }

    private async Task<IResult> ReplaceAsync(string ns, string name, HttpRequest request)
    {
        var lease = await ReadBodyAsync(request);
        lock (gate)
        {
            var key = Key(ns, name);
            if (!leases.TryGetValue(key, out var current))
            {
                return Failure(StatusCodes.Status404NotFound, "NotFound");
            }

            return lease.Metadata.ResourceVersion != current.Metadata.ResourceVersion
                ? Failure(StatusCodes.Status409Conflict, "Conflict")
                : Store(key, lease, StatusCodes.Status200OK);
        }
    }

    private IResult Store(string key, V1Lease lease, int statusCode)
    {
        lease.Metadata.ResourceVersion = nextVersion().ToString(CultureInfo.InvariantCulture);
        leases[key] = lease;
        var holder = lease.Spec?.HolderIdentity ?? string.Empty;
        holders.Add(holder);
        OnWritten?.Invoke(holder);
        return Results.Text(KubernetesJson.Serialize(lease), "application/json", statusCode: statusCode);
    }
}
