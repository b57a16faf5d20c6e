using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Operator.Runtime.LeaderElection;

/// <summary>A coordination.k8s.io/v1 Lease used as the leader lock, through KubernetesClient's typed API.</summary>
public sealed class KubernetesLeaseLock(IKubernetes kubernetes, string name, string @namespace) : ILeaseLock
{
    public async Task<ObservedLease?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ObservedLease(ToRecord(lease.Spec), lease.Metadata.ResourceVersion);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await kubernetes.CoordinationV1.CreateNamespacedLeaseAsync(ToLease(record, null), @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new LeaseConflictException($"Lease {@namespace}/{name} was created by someone else.", e);
        }
    }

    public async Task UpdateAsync(LeaderElectionRecord record, string resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await kubernetes.CoordinationV1.ReplaceNamespacedLeaseAsync(ToLease(record, resourceVersion), name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new LeaseConflictException($"Lease {@namespace}/{name} changed since resourceVersion {resourceVersion}.", e);
        }
    }

    private static LeaderElectionRecord ToRecord(V1LeaseSpec? spec) => new(
        spec?.HolderIdentity ?? string.Empty,
        spec?.LeaseDurationSeconds ?? 0,
        ToOffset(spec?.AcquireTime),
        ToOffset(spec?.RenewTime),
        spec?.LeaseTransitions ?? 0);

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    private V1Lease ToLease(LeaderElectionRecord record, string? resourceVersion) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, ResourceVersion = resourceVersion },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = record.HolderIdentity,
            LeaseDurationSeconds = record.LeaseDurationSeconds,
            AcquireTime = record.AcquireTime.UtcDateTime,
            RenewTime = record.RenewTime.UtcDateTime,
            LeaseTransitions = record.LeaseTransitions,
        },
    };
}
