// Warnings a request produces, sent as kube-apiserver sends them: one `Warning: 299 - "text"` response header each
// (RFC 7234 warn-code 299, no agent, the text quoted with \ and " escaped, line breaks sent as spaces as Go's HTTP
// server sends them), which kubectl prints as "Warning: text".
// Invariant: the headers are written when the response starts, so warnings added before then are all sent.
namespace Operator.Emulator.Api;

internal static class WarningHeaders
{
    /// <summary>A list whose texts become the response's Warning headers.</summary>
    public static List<string> For(HttpContext context)
    {
        var warnings = new List<string>();
        context.Response.OnStarting(() =>
        {
            foreach (var text in warnings.Distinct(StringComparer.Ordinal))
            {
                context.Response.Headers.Append("Warning", $"299 - \"{text.Replace('\n', ' ').Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
            }

            return Task.CompletedTask;
        });
        return warnings;
    }
}
