namespace Operator.Testing.Sqs;

/// <summary>One request the SQS fake received, as it came over the wire (headers by lower-case name).</summary>
public sealed record SqsRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
