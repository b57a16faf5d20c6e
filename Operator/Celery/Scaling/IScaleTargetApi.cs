namespace Operator.Celery.Scaling;

/// <summary>What the builtin scaler asks of the API server: who else scales a namespace's Deployments, and a replica count set.</summary>
public interface IScaleTargetApi
{
    /// <summary>
    /// Every Deployment of <paramref name="namespace"/> an autoscaler targets (any HorizontalPodAutoscaler, and any KEDA
    /// ScaledObject while KEDA is served), by Deployment name, with the autoscaler as Kind/name.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ClaimedDeploymentsAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>Sets a Deployment's replicas through its scale subresource.</summary>
    Task SetReplicasAsync(string @namespace, string deployment, int replicas, CancellationToken cancellationToken);
}
