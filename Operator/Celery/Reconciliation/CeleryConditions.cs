namespace Operator.Celery.Reconciliation;

/// <summary>Condition types and reasons the operator writes on a Celery resource's status.</summary>
public static class CeleryConditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string AutoscalingActive = "AutoscalingActive";

    /// <summary>Whether the operator can read the queues' backlog from the broker (present while spec.broker.backlog is on).</summary>
    public const string BacklogRead = "BacklogRead";

    /// <summary>False when a queue has held messages with no consumer for longer than the threshold.</summary>
    public const string QueuesConsumed = "QueuesConsumed";

    /// <summary>Whether the builtin scaler can scale every group that uses it (present while one does).</summary>
    public const string Scaling = "Scaling";

    public static class Reasons
    {
        public const string AllChildrenReady = "AllChildrenReady";
        public const string ChildrenNotReady = "ChildrenNotReady";
        public const string RolloutInProgress = "RolloutInProgress";
        public const string RolloutComplete = "RolloutComplete";
        public const string AsExpected = "AsExpected";
        public const string InvalidSpec = "InvalidSpec";
        public const string BrokerSecretMissing = "BrokerSecretMissing";
        public const string BrokerUrlInvalid = "BrokerUrlInvalid";
        public const string NameConflict = "NameConflict";
        public const string ApplyFailed = "ApplyFailed";

        /// <summary>The API server refused a write with 403: the operator's RBAC lacks the permission it names.</summary>
        public const string PermissionDenied = "PermissionDenied";
        public const string KedaNotInstalled = "KedaNotInstalled";

        /// <summary>flower.serviceMonitor is enabled but monitoring.coreos.com/v1 ServiceMonitor is not served (a Warning event and a status warning).</summary>
        public const string ServiceMonitorNotInstalled = "ServiceMonitorNotInstalled";
        public const string AutoscalersApplied = "AutoscalersApplied";
        public const string ResourceRequestMissing = "ResourceRequestMissing";
        public const string QueuesRead = "QueuesRead";
        public const string BrokerUnreachable = "BrokerUnreachable";
        public const string BrokerTimeout = "BrokerTimeout";
        public const string BrokerAuthenticationFailed = "BrokerAuthenticationFailed";
        public const string BacklogReadFailed = "BacklogReadFailed";
        public const string QueuesHaveConsumers = "QueuesHaveConsumers";
        public const string NoConsumer = "NoConsumer";

        /// <summary>Scaling=True: the builtin scaler scales every group that uses it.</summary>
        public const string ScalerActive = "ScalerActive";

        /// <summary>Scaling=False: another HorizontalPodAutoscaler or ScaledObject targets a builtin-scaled group's Deployment.</summary>
        public const string ScaleTargetContested = "ScaleTargetContested";

        /// <summary>Scaling=False: the autoscalers of the namespace could not be listed, so the scaler cannot tell whether it would fight one.</summary>
        public const string ScaleTargetUnknown = "ScaleTargetUnknown";

        /// <summary>Scaling=False: the backlog of a builtin-scaled group is not read (the broker is unreadable).</summary>
        public const string BacklogNotRead = "BacklogNotRead";

        /// <summary>Scaling=False: the backlog is not read at all (spec.broker.backlog.enabled false, or Operator:Backlog:Enabled false).</summary>
        public const string BacklogDisabled = "BacklogDisabled";

        /// <summary>Scaling=False: a write to the Deployment's scale subresource failed.</summary>
        public const string ScaleFailed = "ScaleFailed";

        /// <summary>Scaling=Unknown: the Deployment does not exist yet or still carries the operator's replica count.</summary>
        public const string WaitingForDeployment = "WaitingForDeployment";

        /// <summary>Scaling=Unknown: the scaler has not made its first pass over the resource.</summary>
        public const string WaitingForScaler = "WaitingForScaler";
    }
}
