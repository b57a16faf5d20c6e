// The authentication and authorization step every request passes before it is served, in kube-apiserver's order
// (before routing, so a request for an unknown resource the user may not touch is 403, not 404). With an enforcing
// authorizer every decision, allowed or denied, is recorded, so tests can tell which permissions a client needed,
// including those checked beyond the verb in the URL (the create an apply patch makes when the object does not exist
// yet).
using Operator.Emulator.Api;
using Operator.Emulator.Audit;

namespace Operator.Emulator.Authorization;

/// <summary>Authenticates a request, asks the authorizer, records the decision and refuses with 403.</summary>
public sealed class RequestAuthorization(UserDirectory users, IAuthorizer authorizer, int decisionCapacity = 1_000_000)
{
    public UserDirectory Users { get; } = users;

    /// <summary>TokenReview and (Self)SubjectAccessReview, answered by the same users and authorizer.</summary>
    public AccessReviews Reviews { get; } = new(users, authorizer);

    /// <summary>Every decision made by an enforcing authorizer (not AlwaysAllow), oldest first.</summary>
    public BoundedLog<AuthorizationDecision> Decisions { get; } = new(decisionCapacity);

    /// <summary>The attributes of <paramref name="request"/>, once it is allowed; otherwise throws a 403 Forbidden.</summary>
    public AuthorizationAttributes Authorize(HttpRequest request)
    {
        var attributes = AuthorizationAttributes.FromRequest(Users.Authenticate(request), request);
        Require(attributes);
        return attributes;
    }

    /// <summary>Throws a 403 Forbidden unless <paramref name="attributes"/> are allowed.</summary>
    public void Require(AuthorizationAttributes attributes)
    {
        var decision = authorizer.Authorize(attributes);
        // Recorded only when something is enforced: under AlwaysAllow (benchmarks, most tests) a log of a million
        // identical "allowed" decisions would only cost the emulator memory.
        if (authorizer is not AlwaysAllowAuthorizer)
        {
            Decisions.Record(decision);
        }

        if (!decision.Allowed)
        {
            throw Forbidden(attributes, decision.Reason);
        }
    }

    /// <summary>kube-apiserver's 403: "{resource}.{group} "{name}" is forbidden: User ... cannot ...".</summary>
    public static ApiException Forbidden(AuthorizationAttributes attributes, string reason)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var why = reason.Length == 0 ? attributes.ForbiddenMessage() : $"{attributes.ForbiddenMessage()}: {reason}";
        var qualified = attributes.Group.Length == 0 ? attributes.Resource : $"{attributes.Resource}.{attributes.Group}";
        var message = qualified.Length == 0
            ? $"forbidden: {why}"
            : attributes.Name is { Length: > 0 } name ? $"{qualified} \"{name}\" is forbidden: {why}" : $"{qualified} is forbidden: {why}";
        // details as metav1.Status carries them: empty fields are left out ({} for a non-resource path).
        return new ApiException(403, "Forbidden", message)
        {
            DetailName = attributes.Name is { Length: > 0 } ? attributes.Name : null,
            DetailGroup = attributes.Group,
            DetailKind = attributes.Resource.Length > 0 ? attributes.Resource : null,
        };
    }
}
