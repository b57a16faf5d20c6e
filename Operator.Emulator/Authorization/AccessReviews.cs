// The review APIs clients use to ask the API server about identities and permissions, answered from the emulator's
// own authentication and authorizer, as kube-apiserver answers them. Reviews are created, never stored:
//   - TokenReview (authentication.k8s.io/v1): a token the emulator knows (the name of a user it wrote a kubeconfig
//     for, which is that kubeconfig's bearer token) is authenticated as that user with its groups; any other token
//     is not (status.authenticated false, with an error), as a real server answers an unknown token.
//   - SubjectAccessReview (authorization.k8s.io/v1): may spec.user (in spec.groups) do spec.resourceAttributes or
//     spec.nonResourceAttributes? Answered by the configured authorizer.
//   - SelfSubjectAccessReview: the same question about the requesting user (what `kubectl auth can-i` asks).
// The decisions these reviews make are not recorded as the requester's decisions: they are answers, not checks.
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Authorization;

/// <summary>Answers TokenReview, SubjectAccessReview and SelfSubjectAccessReview.</summary>
public sealed class AccessReviews(UserDirectory users, IAuthorizer authorizer)
{
    public JsonObject Review(ResourceType type, JsonObject body, UserInfo requester)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        var spec = body["spec"] as JsonObject ?? throw Invalid(type, "spec", "Required value");
        var status = type.Resource switch
        {
            "tokenreviews" => TokenStatus(type, spec),
            "subjectaccessreviews" => AccessStatus(type, spec, SubjectOf(type, spec)),
            "selfsubjectaccessreviews" => AccessStatus(type, spec, requester),
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({type.Resource})"),
        };
        var response = (JsonObject)body.DeepClone();
        response["apiVersion"] = type.GroupVersion;
        response["kind"] = type.Kind;
        response["metadata"] ??= new JsonObject();
        response["status"] = status;
        return response;
    }

    private JsonObject TokenStatus(ResourceType type, JsonObject spec)
    {
        var token = Text(spec["token"]);
        if (token.Length == 0)
        {
            throw Invalid(type, "spec.token", "Required value");
        }

        if (!users.IsKnown(token))
        {
            return new JsonObject { ["authenticated"] = false, ["user"] = new JsonObject(), ["error"] = "[invalid bearer token, token lookup failed]" };
        }

        var user = users.Identity(token);
        return new JsonObject
        {
            ["authenticated"] = true,
            ["user"] = new JsonObject { ["username"] = user.Name, ["groups"] = new JsonArray([.. user.Groups.Select(g => JsonValue.Create(g))]) },
            ["audiences"] = spec["audiences"]?.DeepClone() ?? new JsonArray(),
        };
    }

    private static UserInfo SubjectOf(ResourceType type, JsonObject spec)
    {
        var name = Text(spec["user"]);
        var groups = spec["groups"] as JsonArray ?? [];
        if (name.Length == 0 && groups.Count == 0)
        {
            throw Invalid(type, "spec.user", "Invalid value: \"\": at least one of user or group must be specified");
        }

        return new UserInfo(name, [.. groups.Select(Text).Where(g => g.Length > 0)]);
    }

    private JsonObject AccessStatus(ResourceType type, JsonObject spec, UserInfo subject)
    {
        AuthorizationAttributes request;
        if (spec["resourceAttributes"] is JsonObject resource)
        {
            request = new AuthorizationAttributes(subject, Text(resource["verb"]), true, string.Empty, Text(resource["group"]), Text(resource["version"]),
                Text(resource["resource"]), NullIfEmpty(resource["subresource"]), NullIfEmpty(resource["namespace"]), NullIfEmpty(resource["name"]));
        }
        else if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            request = new AuthorizationAttributes(subject, Text(nonResource["verb"]), false, Text(nonResource["path"]));
        }
        else
        {
            throw Invalid(type, "spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var decision = authorizer.Authorize(request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private static ApiException Invalid(ResourceType type, string field, string message) =>
        ApiException.Invalid(type, string.Empty, [new StatusCause("FieldValueInvalid", message, field)]);

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static string? NullIfEmpty(JsonNode? node) => Text(node) is { Length: > 0 } text ? text : null;
}
