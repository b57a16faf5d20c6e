using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace Operator.Runtime.Hosting;

/// <summary>What the API server says about a bearer token presented to <c>/metrics</c>.</summary>
public enum MetricsAccess
{
    /// <summary>The token is not one the API server authenticates: 401.</summary>
    Unauthenticated,

    /// <summary>Authenticated, but not allowed to <c>get</c> the non-resource URL <c>/metrics</c>: 403.</summary>
    Forbidden,

    /// <summary>Authenticated and allowed: 200.</summary>
    Allowed,
}

/// <summary>
/// Decides who may read <c>/metrics</c> as kube-apiserver's delegated authentication and authorization do it
/// (controller-runtime's <c>filters.WithAuthenticationAndAuthorization</c>): a TokenReview authenticates the bearer
/// token, then a SubjectAccessReview asks whether that user (with its groups, uid and extra) may <c>get</c>
/// <c>/metrics</c>. Decisions are reused for <see cref="MetricsOptions.DecisionCacheDuration"/>, so a scraper
/// polling every few seconds costs two API requests a minute, not two per scrape; the cache is keyed by the
/// token's SHA-256 (the token itself is never kept) and holds at most <see cref="MaxCachedTokens"/> entries.
/// Failures to reach the API server are not cached and surface to the caller.
/// </summary>
public sealed class MetricsAccessReviewer(IKubernetes client, TimeProvider time, MetricsOptions options)
{
    public const int MaxCachedTokens = 1024;

    private readonly ConcurrentDictionary<string, (MetricsAccess Access, DateTimeOffset Expires)> decisions = new(StringComparer.Ordinal);

    public async Task<MetricsAccess> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (decisions.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Access;
        }

        var access = await DecideAsync(token, cancellationToken).ConfigureAwait(false);
        Remember(key, access, now);
        return access;
    }

    private async Task<MetricsAccess> DecideAsync(string token, CancellationToken cancellationToken)
    {
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenReview", Spec = new V1TokenReviewSpec { Token = token } },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (review.Status?.Authenticated != true || review.Status.User is not { } user)
        {
            return MetricsAccess.Unauthenticated;
        }

        var access = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview
            {
                ApiVersion = "authorization.k8s.io/v1",
                Kind = "SubjectAccessReview",
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user.Username,
                    Groups = user.Groups,
                    Uid = user.Uid,
                    Extra = user.Extra,
                    NonResourceAttributes = new V1NonResourceAttributes { Path = PrometheusExport.Path, Verb = "get" },
                },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return access.Status?.Allowed == true ? MetricsAccess.Allowed : MetricsAccess.Forbidden;
    }

    private void Remember(string key, MetricsAccess access, DateTimeOffset now)
    {
        if (decisions.Count >= MaxCachedTokens)
        {
            foreach (var (stale, _) in decisions.Where(d => d.Value.Expires <= now))
            {
                decisions.TryRemove(stale, out _);
            }

            if (decisions.Count >= MaxCachedTokens)
            {
                // Only a flood of distinct tokens gets here; forgetting everything bounds memory, and the cost is
                // a review of the next scrape of each real scraper.
                decisions.Clear();
            }
        }

        decisions[key] = (access, now + options.DecisionCacheDuration);
    }
}
