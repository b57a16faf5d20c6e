// What a task of the test Celery app recorded about its execution (one JSON file per event, written
// atomically by the app, so every file read here is complete).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Operator.IntegrationTests.Conformance;

/// <summary>One execution event: record, started, finished or tick.</summary>
internal sealed record TaskRecord
{
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "";

    [JsonPropertyName("task_id")]
    public string TaskId { get; init; } = "";

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>The routing key the message was delivered with: the queue it came from.</summary>
    [JsonPropertyName("queue")]
    public string? Queue { get; init; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    /// <summary>The (billiard) process name: ForkPoolWorker-N in a prefork child, MainProcess otherwise.</summary>
    [JsonPropertyName("process")]
    public string Process { get; init; } = "";

    [JsonPropertyName("thread")]
    public string Thread { get; init; } = "";

    public static IReadOnlyList<TaskRecord> ReadAll(string directory) =>
        [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => JsonSerializer.Deserialize<TaskRecord>(File.ReadAllText(f))!)];
}
