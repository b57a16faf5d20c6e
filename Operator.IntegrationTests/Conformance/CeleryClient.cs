// The test's side of Celery: sending tasks as an application would (send_tasks.py of the test app) and asking
// a worker about itself with `celery inspect`, both in a container's environment so they use the same broker
// URL the generated pod spec gives the worker.
using System.Text.Json;

namespace Operator.IntegrationTests.Conformance;

/// <summary>One task message to send.</summary>
internal sealed record TaskMessage(string Task, string Queue, IReadOnlyList<object> Args, int? Priority = null)
{
    public static TaskMessage Record(string queue, string token, int? priority = null) => new("conformance_app.record", queue, [token], priority);

    public static TaskMessage Slow(string queue, string token, double seconds) => new("conformance_app.slow", queue, [token, seconds]);

    /// <summary>Sleeps <paramref name="seconds"/>, surviving the soft time limit (recorded) so only the hard one stops it.</summary>
    public static TaskMessage Limited(string queue, string token, double seconds) => new("conformance_app.limited", queue, [token, seconds]);
}

/// <summary>Sends tasks and inspects workers through one container's environment.</summary>
internal sealed class CeleryClient(CeleryWorkspace workspace, string application, IReadOnlyDictionary<string, string> environment)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends the messages and returns their task ids, in order.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(IEnumerable<TaskMessage> messages, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(messages.Select(m => new Dictionary<string, object?> { ["task"] = m.Task, ["queue"] = m.Queue, ["args"] = m.Args, ["priority"] = m.Priority }));
        var result = await workspace.PythonAsync("send_tasks.py", [payload], environment, CommandTimeout, cancellationToken);
        Assert.That(result.Succeeded, Is.True, $"sending tasks failed: {result}");
        // The script prints one id per line; anything else in its output is a library's warning.
        return [.. result.Output.Split('\n', StringSplitOptions.TrimEntries).Where(line => Guid.TryParse(line, out _))];
    }

    /// <summary>`celery inspect COMMAND --json` for one node; null when the node did not reply.</summary>
    public async Task<JsonElement?> InspectAsync(string command, string node, CancellationToken cancellationToken)
    {
        var result = await workspace.CeleryAsync([$"--app={application}", "inspect", command, "--json", $"--destination={node}", "--timeout=3"], environment, CommandTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        var json = result.Output.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(node, out var reply) ? reply.Clone() : null;
    }
}
