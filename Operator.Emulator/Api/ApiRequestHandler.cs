// Serves resource requests. Order of work for each request: resolve target and verb, injected latency,
// authorization, injected fault, the verb itself; every request ends in exactly one audit entry with the status code it was answered with
// (a watch is recorded when its stream starts).
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Emulator.Audit;
using Operator.Emulator.Authorization;
using Operator.Emulator.Discovery;
using Operator.Emulator.Faults;
using Operator.Emulator.Protobuf;
using Operator.Emulator.Selectors;
using Operator.Emulator.Storage;
using Operator.Emulator.Tables;
using Operator.Emulator.Watch;

namespace Operator.Emulator.Api;

/// <summary>The HTTP face of <see cref="ResourceService"/>.</summary>
public sealed class ApiRequestHandler(
    ResourceService service,
    WatchStreamer watches,
    FaultInjector faults,
    AuditLog audit,
    RequestAuthorization authorization,
    TimeProvider time,
    ILogger<ApiRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext context, RequestTarget target)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var verb = Verb(request, target);
        var query = request.Query;
        var fieldManager = query["fieldManager"].ToString() is { Length: > 0 } manager ? manager : null;
        var patchType = HttpMethods.IsPatch(request.Method) ? request.ContentType : null;
        var recorded = false;
        void Record(int statusCode)
        {
            if (recorded)
            {
                return;
            }

            recorded = true;
            audit.Record(new AuditEntry(time.GetUtcNow(), UserDirectory.UserName(request), request.Headers.UserAgent.ToString(), verb,
                target.Type.Group, target.Type.Version, target.Type.Resource, target.Subresource, target.Namespace, target.Name,
                fieldManager, patchType, statusCode, ResponseShape.Negotiate(request, isList: verb == "list").Form, request.QueryString.Value ?? string.Empty));
        }

        try
        {
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, time, ct).ConfigureAwait(false);
            }

            var attributes = authorization.Authorize(request);
            if (faults.Match(verb, target.Type.Resource, target.Subresource, target.Namespace, target.Name) is { } fault)
            {
                throw ApiException.ForCode(fault.StatusCode, fault.Message ?? $"injected fault: {fault.StatusCode}", fault.RetryAfterSeconds);
            }

            if (verb == "watch")
            {
                await WatchAsync(context, target, () => Record(200), ct).ConfigureAwait(false);
                return;
            }

            // Recorded as the response starts, before the client can see any of it: a client that got its answer
            // always finds the request in the audit log.
            context.Response.OnStarting(() =>
            {
                Record(context.Response.StatusCode);
                return Task.CompletedTask;
            });
            await DispatchAsync(context, target, verb, fieldManager, attributes, ct).ConfigureAwait(false);
            Record(context.Response.StatusCode);
        }
        catch (Exception error) when (Translate(error) is { } status && !context.Response.HasStarted)
        {
            Record(status.Code);
            await JsonResponses.WriteErrorAsync(context, status, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Record(499);
        }
    }

    private static string Verb(HttpRequest request, RequestTarget target)
    {
        var method = request.Method;
        if (HttpMethods.IsGet(method))
        {
            if (target.Name is not null)
            {
                return "get";
            }

            var watch = request.Query["watch"].ToString();
            return watch is "true" or "1" ? "watch" : "list";
        }

        if (HttpMethods.IsPost(method))
        {
            return "create";
        }

        if (HttpMethods.IsPut(method))
        {
            return "update";
        }

        if (HttpMethods.IsPatch(method))
        {
            return "patch";
        }

        if (HttpMethods.IsDelete(method))
        {
            return target.Name is null ? "deletecollection" : "delete";
        }

        return method.ToLowerInvariant();
    }

    private ApiException? Translate(Exception error) => error switch
    {
        ApiException api => api,
        SelectorException selector => ApiException.BadRequest(selector.Message),
        JsonException json => ApiException.BadRequest($"error decoding request body: {json.Message}"),
        FormatException format => ApiException.BadRequest(format.Message),
        OperationCanceledException => null,
        _ => Unexpected(error),
    };

    private ApiException Unexpected(Exception error)
    {
        logger.LogError(error, "Request failed unexpectedly");
        return ApiException.Internal(error.Message);
    }

    private async Task DispatchAsync(HttpContext context, RequestTarget target, string verb, string? fieldManager, AuthorizationAttributes attributes, CancellationToken ct)
    {
        var request = context.Request;
        var query = request.Query;
        var type = target.Type;
        var inNamespace = target.Namespace ?? string.Empty;
        var dryRun = query["dryRun"].ToString() == "All";
        // A write that creates the object (an apply patch to a missing name) needs "create" as well, as in kube-apiserver.
        var warnings = WarningHeaders.For(context);
        var validation = verb is "create" or "update" or "patch"
            ? FieldValidationDirective.Parse(query["fieldValidation"], verb switch { "create" => "CreateOptions", "update" => "UpdateOptions", _ => "PatchOptions" })
            : FieldValidation.Ignore;
        var write = new WriteRequest(fieldManager ?? RequestIdentity.DefaultFieldManager(request), dryRun, query["force"].ToString() == "true",
            AuthorizeCreate: () => authorization.Require(attributes.WithVerb("create")), validation, warnings);
        if (type.Namespaced && target.Namespace is null && verb is not ("list" or "watch" or "deletecollection"))
        {
            throw ApiException.NotFound(type, target.Name ?? string.Empty);
        }

        if (type.CreateOnly)
        {
            var review = verb == "create" && target.Name is null
                ? authorization.Reviews.Review(type, await ReadObjectAsync(request, ct).ConfigureAwait(false), attributes.User)
                : throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({verb} {type.Resource})");
            await RespondEncodedAsync(context, 201, review, ct).ConfigureAwait(false);
            return;
        }

        switch (verb)
        {
            case "get" when target.Subresource == "scale":
                await RespondAsync(context, 200, service.GetScale(type, inNamespace, target.Name!), ct).ConfigureAwait(false);
                break;
            case "get" when ResponseShape.Negotiate(context.Request, isList: false) is { Form: ResponseForm.PartialObjectMetadata } shape && !Conversion.ServedVersion.IsEventsApi(type):
                // Serving another version rewrites apiVersion only, never metadata: the stored metadata is the answer.
                await RespondAsync(context, 200, PartialObjectMetadata.Of(service.GetStored(type, inNamespace, target.Name!), shape), ct).ConfigureAwait(false);
                break;
            case "get":
                await RespondObjectAsync(context, type, 200, service.Get(type, inNamespace, target.Name!), ct).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, target, ct).ConfigureAwait(false);
                break;
            case "create" when target.Name is null:
                {
                    var decoded = await ReadBodyAsync(request, ct).ConfigureAwait(false);
                    var created = service.Create(type, inNamespace, decoded.Node!.AsObject(), write with { Duplicates = decoded.Duplicates });
                    await RespondObjectAsync(context, type, 201, created, ct).ConfigureAwait(false);
                    break;
                }

            case "update" when target.Name is not null && target.Subresource == "scale":
                {
                    var body = await ReadObjectAsync(request, ct).ConfigureAwait(false);
                    await RespondAsync(context, 200, service.UpdateScale(type, inNamespace, target.Name, _ => body, write), ct).ConfigureAwait(false);
                    break;
                }

            case "update" when target.Name is not null:
                {
                    var decoded = await ReadBodyAsync(request, ct).ConfigureAwait(false);
                    var updated = service.Update(type, inNamespace, target.Name, target.Subresource, decoded.Node!.AsObject(), write with { Duplicates = decoded.Duplicates });
                    await RespondObjectAsync(context, type, 200, updated, ct).ConfigureAwait(false);
                    break;
                }

            case "patch" when target.Name is not null:
                await PatchAsync(context, target, write, ct).ConfigureAwait(false);
                break;
            case "delete" when target.Subresource is null:
                {
                    var options = await ReadDeleteOptionsAsync(request, ct).ConfigureAwait(false);
                    var deleted = service.Delete(type, inNamespace, target.Name!, options);
                    await RespondObjectAsync(context, type, 200, deleted, ct).ConfigureAwait(false);
                    break;
                }

            case "deletecollection" when target.Subresource is null:
                await DeleteCollectionAsync(context, target, ct).ConfigureAwait(false);
                break;
            default:
                throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({verb} {type.Resource}{(target.Subresource is null ? "" : "/" + target.Subresource)})");
        }
    }

    /// <summary>The request's field selector, refused with 400 when it names a field the kind cannot be selected by.</summary>
    private static FieldSelector FieldSelectorFor(ResourceType type, IQueryCollection query)
    {
        var selector = FieldSelector.Parse(query["fieldSelector"]);
        SelectableFields.Require(type, selector);
        return selector;
    }

    private async Task ListAsync(HttpContext context, RequestTarget target, CancellationToken ct)
    {
        var query = context.Request.Query;
        var limit = query["limit"].ToString() is { Length: > 0 } limitText
            ? int.TryParse(limitText, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : throw ApiException.BadRequest($"invalid limit: {limitText}")
            : (int?)null;
        var list = new ListRequest(LabelSelector.Parse(query["labelSelector"]), FieldSelectorFor(target.Type, query), limit, query["continue"]);
        var page = service.List(target.Type, target.Namespace, list);
        var shape = ResponseShape.Negotiate(context.Request, isList: true);
        if (shape.Form == ResponseForm.PartialObjectMetadata)
        {
            await RespondAsync(context, 200, PartialObjectMetadata.ListOf(page.Items, page, shape), ct).ConfigureAwait(false);
            return;
        }

        if (shape.Form == ResponseForm.Table)
        {
            var rows = page.Items.Select(item => Conversion.ServedVersion.Present(target.Type, item.ToJsonObject()));
            var table = TableBuilder.Build(target.Type, rows, page.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                page.Continue, page.RemainingItemCount, query["includeObject"], time.GetUtcNow());
            await RespondAsync(context, 200, table, ct).ConfigureAwait(false);
            return;
        }

        if (ProtobufNegotiation.Preferred(context.Request))
        {
            await RespondEncodedAsync(context, 200, ListObject(target.Type, page), ct).ConfigureAwait(false);
            return;
        }

        await JsonResponses.WriteListAsync(context, target.Type, page, ct).ConfigureAwait(false);
    }

    /// <summary>A list as the object a protobuf list message is written from: items carry no apiVersion and kind, as in Kubernetes' typed lists.</summary>
    private static JsonObject ListObject(ResourceType type, ListPage page)
    {
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }

        if (page.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            var obj = Conversion.ServedVersion.Present(type, item.ToJsonObject());
            obj.Remove("apiVersion");
            obj.Remove("kind");
            items.Add(obj);
        }

        return new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata, ["items"] = items };
    }

    private async Task WatchAsync(HttpContext context, RequestTarget target, Action recordStart, CancellationToken ct)
    {
        var query = context.Request.Query;
        var filter = new WatchFilter(LabelSelector.Parse(query["labelSelector"]), FieldSelectorFor(target.Type, query));
        TimeSpan? timeout = query["timeoutSeconds"].ToString() is { Length: > 0 } seconds
            ? TimeSpan.FromSeconds(int.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : throw ApiException.BadRequest($"invalid timeoutSeconds: {seconds}"))
            : null;
        WatchSubscription subscription;
        try
        {
            if (long.TryParse(query["resourceVersion"], System.Globalization.CultureInfo.InvariantCulture, out var from) && from > 0
                && faults.ExpiredThrough(target.Type.Resource, target.Namespace, from) is { } expiredThrough)
            {
                throw new ResourceVersionTooOldException(from, expiredThrough + 1);
            }

            subscription = service.Watch(target.Type, target.Namespace, query["resourceVersion"]);
        }
        catch (ResourceVersionTooOldException tooOld)
        {
            recordStart();
            await WatchStreamer.WriteExpiredAsync(context, tooOld, ct).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            recordStart();
            var options = new WatchStreamOptions(filter, query["allowWatchBookmarks"].ToString() == "true", timeout, ResponseShape.Negotiate(context.Request, isList: false), query["includeObject"]);
            await watches.StreamAsync(context, target.Type, subscription, options, ct).ConfigureAwait(false);
        }
    }

    private async Task PatchAsync(HttpContext context, RequestTarget target, WriteRequest write, CancellationToken ct)
    {
        var request = context.Request;
        var mediaType = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
        var patchType = mediaType switch
        {
            "application/merge-patch+json" => PatchType.Merge,
            "application/json-patch+json" => PatchType.Json,
            "application/strategic-merge-patch+json" => PatchType.Strategic,
            "application/apply-patch+yaml" or "application/apply-patch+json" => PatchType.Apply,
            _ => throw ApiException.UnsupportedMediaType(mediaType),
        };
        if (patchType == PatchType.Apply && request.Query["fieldManager"].ToString().Length == 0)
        {
            throw FieldValidationDirective.InvalidOptions("PatchOptions", new StatusCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager"));
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var decoded = patchType == PatchType.Apply ? YamlDocument.Decode(text) : DecodedBody.Json(text);
        var patch = new PatchRequest(patchType, decoded.Node ?? throw ApiException.BadRequest("the patch body is empty"));
        write = write with { Duplicates = patchType == PatchType.Json ? decoded.Duplicates.Prefixed("json patch ") : decoded.Duplicates };
        var type = target.Type;
        var inNamespace = target.Namespace ?? string.Empty;
        if (target.Subresource == "scale")
        {
            var scaleSchema = service.ScaleSchema();
            var scaled = service.UpdateScale(type, inNamespace, target.Name!, current => ResourceService.PatchDocument(current, patch, scaleSchema), write);
            await RespondAsync(context, 200, scaled, ct).ConfigureAwait(false);
            return;
        }

        var existed = service.Store.Snapshot.Get(type.Collection, new ObjectKey(type.Namespaced ? inNamespace : string.Empty, target.Name!)) is not null;
        var patched = service.Patch(type, inNamespace, target.Name!, target.Subresource, patch, write);
        await RespondObjectAsync(context, type, existed || patchType != PatchType.Apply ? 200 : 201, patched, ct).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, RequestTarget target, CancellationToken ct)
    {
        var query = context.Request.Query;
        var options = await ReadDeleteOptionsAsync(context.Request, ct).ConfigureAwait(false);
        var list = new ListRequest(LabelSelector.Parse(query["labelSelector"]), FieldSelectorFor(target.Type, query));
        var page = service.List(target.Type, target.Namespace, list);
        var deleted = new JsonArray();
        foreach (var item in page.Items)
        {
            try
            {
                deleted.Add(service.Delete(target.Type, item.Key.Namespace, item.Key.Name, options));
            }
            catch (ApiException error) when (error.Code == 404)
            {
                // Deleted by someone else meanwhile: the collection is still going away.
            }
        }

        var response = new JsonObject
        {
            ["kind"] = target.Type.ListKind,
            ["apiVersion"] = target.Type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = service.Store.Snapshot.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await RespondAsync(context, 200, response, ct).ConfigureAwait(false);
    }

    private async Task RespondObjectAsync(HttpContext context, ResourceType type, int statusCode, JsonObject obj, CancellationToken ct)
    {
        var shape = ResponseShape.Negotiate(context.Request, isList: false);
        if (shape.Form == ResponseForm.PartialObjectMetadata)
        {
            await RespondAsync(context, statusCode, PartialObjectMetadata.Of(obj, shape), ct).ConfigureAwait(false);
            return;
        }

        if (shape.Form == ResponseForm.Table)
        {
            var table = TableBuilder.Build(type, [obj], ObjectMetadata.ResourceVersion(obj) ?? string.Empty, null, null, context.Request.Query["includeObject"], time.GetUtcNow());
            await RespondAsync(context, statusCode, table, ct).ConfigureAwait(false);
            return;
        }

        await RespondEncodedAsync(context, statusCode, obj, ct).ConfigureAwait(false);
    }

    /// <summary>An object as protobuf when the client prefers it and the emulator can encode it, else as JSON.</summary>
    private static async Task RespondEncodedAsync(HttpContext context, int statusCode, JsonObject obj, CancellationToken ct)
    {
        if (!await ProtobufNegotiation.TryWriteAsync(context, statusCode, obj, ct).ConfigureAwait(false))
        {
            await RespondAsync(context, statusCode, obj, ct).ConfigureAwait(false);
        }
    }

    private static Task RespondAsync(HttpContext context, int statusCode, JsonNode body, CancellationToken ct) =>
        JsonResponses.WriteAsync(context, statusCode, body, ct);

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        (await ReadBodyAsync(request, ct).ConfigureAwait(false)).Node!.AsObject();

    /// <summary>A create or update body (JSON, YAML or protobuf), always an object, with its duplicate keys.</summary>
    private static async Task<DecodedBody> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = (request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (mediaType == ProtobufEnvelope.MediaType)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return new DecodedBody(ProtobufEnvelope.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), DuplicateKeys.None);
        }

        if (mediaType is not ("application/json" or "application/yaml" or "application/x-yaml" or "*/*" or ""))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {mediaType})");
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var decoded = mediaType is "application/yaml" or "application/x-yaml" ? YamlDocument.Decode(text) : DecodedBody.Json(text);
        return decoded.Node is JsonObject obj ? decoded with { Node = obj } : throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static async Task<DeleteRequest> ReadDeleteOptionsAsync(HttpRequest request, CancellationToken ct)
    {
        var query = request.Query;
        JsonObject? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            body = text.Trim().Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }

        var policy = query["propagationPolicy"].ToString() is { Length: > 0 } fromQuery ? fromQuery : body?["propagationPolicy"]?.GetValue<string>();
        if (policy is null && body?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var orphanDependents))
        {
            policy = orphanDependents ? "Orphan" : "Background";
        }

        var dryRun = query["dryRun"].ToString() == "All" || (body?["dryRun"] as JsonArray)?.Any(item => item?.GetValue<string>() == "All") == true;
        return new DeleteRequest(policy, body?["preconditions"]?["uid"]?.GetValue<string>(), body?["preconditions"]?["resourceVersion"]?.GetValue<string>(), dryRun);
    }
}
