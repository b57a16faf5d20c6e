// The emulator's own HTTP API, under /emulator/ (not part of Kubernetes): faults and the audit log, for tests and
// demos that drive the emulator from another process.
//   POST   /emulator/faults/close-watches
//   POST   /emulator/faults/compact
//   POST   /emulator/faults/stall-watches?stalled=true|false
//   POST   /emulator/faults/hang-watches
//   POST   /emulator/faults/expire-watches?resource=R&resourceVersion=N[&namespace=NS]
//   POST   /emulator/faults/latency?milliseconds=N
//   POST   /emulator/faults/rules          body: FaultRule as JSON (camelCase)
//   DELETE /emulator/faults                clears rules, watch expiries, latency and stalls
//   GET    /emulator/audit[?user=&verb=&resource=&namespace=&name=]
//   DELETE /emulator/audit
using System.Globalization;
using System.Text.Json;
using Operator.Emulator.Api;
using Operator.Emulator.Audit;
using Operator.Emulator.Faults;

namespace Operator.Emulator.Hosting;

/// <summary>Serves /emulator/ control requests.</summary>
public sealed class ControlEndpoints(FaultInjector faults, AuditLog audit)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var path = request.Path.Value ?? string.Empty;
        var method = request.Method;
        try
        {
            switch (path.TrimEnd('/'))
            {
                case "/emulator/faults/close-watches" when HttpMethods.IsPost(method):
                    faults.CloseAllWatches();
                    break;
                case "/emulator/faults/compact" when HttpMethods.IsPost(method):
                    faults.CompactHistory();
                    break;
                case "/emulator/faults/stall-watches" when HttpMethods.IsPost(method):
                    faults.StallWatches(request.Query["stalled"].ToString() != "false");
                    break;
                case "/emulator/faults/hang-watches" when HttpMethods.IsPost(method):
                    faults.HangOpenWatches();
                    break;
                case "/emulator/faults/expire-watches" when HttpMethods.IsPost(method):
                    faults.ExpireWatches(new WatchExpiry(
                        Optional(request.Query["resource"]) ?? throw ApiException.BadRequest("resource is required"),
                        long.TryParse(request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var through) ? through : throw ApiException.BadRequest("resourceVersion must be a number"),
                        Optional(request.Query["namespace"])));
                    break;
                case "/emulator/faults/latency" when HttpMethods.IsPost(method):
                    faults.SetLatency(TimeSpan.FromMilliseconds(double.Parse(request.Query["milliseconds"].ToString(), CultureInfo.InvariantCulture)));
                    break;
                case "/emulator/faults/rules" when HttpMethods.IsPost(method):
                    var rule = await JsonSerializer.DeserializeAsync<FaultRule>(request.Body, Json, ct).ConfigureAwait(false)
                        ?? throw ApiException.BadRequest("a fault rule is required");
                    faults.Add(rule);
                    break;
                case "/emulator/faults" when HttpMethods.IsDelete(method):
                    faults.Clear();
                    break;
                case "/emulator/audit" when HttpMethods.IsGet(method):
                    var query = request.Query;
                    var entries = audit.Query(Optional(query["user"]), Optional(query["verb"]), Optional(query["resource"]), Optional(query["namespace"]), Optional(query["name"]));
                    context.Response.ContentType = JsonResponses.ContentType;
                    await JsonSerializer.SerializeAsync(context.Response.Body, entries, Json, ct).ConfigureAwait(false);
                    return;
                case "/emulator/audit" when HttpMethods.IsDelete(method):
                    audit.Clear();
                    break;
                default:
                    throw new ApiException(404, "NotFound", $"no emulator control endpoint {method} {path}");
            }

            context.Response.StatusCode = 204;
        }
        catch (Exception error) when (error is FormatException or JsonException or ArgumentException)
        {
            await JsonResponses.WriteErrorAsync(context, ApiException.BadRequest(error.Message), ct).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            await JsonResponses.WriteErrorAsync(context, error, ct).ConfigureAwait(false);
        }
    }

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();
}
