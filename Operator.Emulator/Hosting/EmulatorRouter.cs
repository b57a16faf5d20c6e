// Routes every HTTP request: /emulator/ control endpoints, health, version, discovery, OpenAPI (not served:
// 404, which kubectl tolerates), and resource paths. Anything else is a 404 Status. Every request but the control
// endpoints is authorized first, as kube-apiserver's filter chain does before routing; resource requests are
// authorized by the resource handler so that a refusal is audited like any other answer.
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Authorization;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Hosting;

/// <summary>The emulator's single request entry point.</summary>
public sealed class EmulatorRouter(ResourceCatalog catalog, DiscoveryDocuments discovery, OpenApiDocuments openApi, ApiRequestHandler resources, ControlEndpoints control,
    RequestAuthorization authorization, Func<string> serverAddress)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var ct = context.RequestAborted;
        if (path.StartsWith("/emulator/", StringComparison.Ordinal))
        {
            await control.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (RequestTarget.Parse(path, catalog) is { } target)
        {
            await resources.HandleAsync(context, target).ConfigureAwait(false);
            return;
        }

        try
        {
            authorization.Authorize(context.Request);
        }
        catch (ApiException forbidden)
        {
            await JsonResponses.WriteErrorAsync(context, forbidden, ct).ConfigureAwait(false);
            return;
        }

        // The v2 document exists only as JSON here. kubectl asks for it as protobuf alone (to validate kinds its v3
        // documents lack): a JSON body in answer fails its parse, and so does a 406; a 404 makes it validate without
        // v2, as against a server that has no v2 document.
        if (path.TrimEnd('/') == "/openapi/v2" && !AcceptsJson(context.Request.Headers.Accept.ToString()))
        {
            await JsonResponses.WriteErrorAsync(context, new ApiException(404, "NotFound", "the server could not find the requested resource"), ct).ConfigureAwait(false);
            return;
        }

        var document = path.TrimEnd('/') switch
        {
            "/healthz" or "/livez" or "/readyz" => null,
            "/version" => DiscoveryDocuments.Version(),
            "/api" => DiscoveryDocuments.CoreVersions(serverAddress()),
            "/apis" => discovery.Groups(),
            "/openapi/v3" => openApi.Index(),
            "/openapi/v2" => openApi.Version2(),
            _ when path.StartsWith("/openapi/v3/", StringComparison.Ordinal) => openApi.GroupVersion(path["/openapi/v3/".Length..]),
            _ => GroupDocument(path),
        };
        if (document is not null)
        {
            await JsonResponses.WriteAsync(context, 200, document, ct).ConfigureAwait(false);
            return;
        }

        if (path.TrimEnd('/') is "/healthz" or "/livez" or "/readyz")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", ct).ConfigureAwait(false);
            return;
        }

        await JsonResponses.WriteErrorAsync(context, new ApiException(404, "NotFound", "the server could not find the requested resource"), ct).ConfigureAwait(false);
    }

    private static bool AcceptsJson(string accept) =>
        string.IsNullOrWhiteSpace(accept) || accept.Split(',').Select(t => t.Split(';')[0].Trim()).Any(t => t is "application/json" or "application/*" or "*/*");

    private JsonObject? GroupDocument(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["api", var version] => discovery.Resources("", version),
            ["apis", var group] => discovery.Group(group),
            ["apis", var group, var version] => discovery.Resources(group, version),
            _ => null,
        };
    }
}
