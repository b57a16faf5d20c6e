namespace Operator.Runtime.Metrics;

/// <summary>Why a watch stream was restarted, as the <c>reason</c> label of <c>celery_operator_watch_restarts_total</c>.</summary>
public enum WatchRestartReason
{
    /// <summary>The server ended the stream normally; it resumes without a list.</summary>
    Closed,

    /// <summary>The watch position expired (410 Gone); a relist follows.</summary>
    Expired,

    /// <summary>The stream was silent past its timeout and the watchdog restarted it.</summary>
    Inactivity,

    /// <summary>A list or watch failed; retried after a jittered backoff.</summary>
    Error,
}
