// How the emulator turns a request into authorization attributes and matches RBAC rules against them: the cases
// kube-apiserver's request-info parsing and RBAC rule matching decide in ways a naive reading of the URL does not.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Operator.Emulator.Authorization;

namespace Operator.Tests.Emulator;

public sealed class AuthorizationAttributesTests
{
    private static readonly UserInfo Alice = new("alice", [UserInfo.AuthenticatedGroup]);

    private static AuthorizationAttributes Parse(string method, string pathAndQuery)
    {
        var context = new DefaultHttpContext();
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        return AuthorizationAttributes.FromRequest(Alice, context.Request);
    }

    [TestCase("GET", "/api/v1/namespaces/a/pods", "list", "", "pods", null, "a", null)]
    [TestCase("GET", "/api/v1/namespaces/a/pods?watch=true", "watch", "", "pods", null, "a", null)]
    [TestCase("GET", "/api/v1/namespaces/a/pods?watch=1&fieldSelector=metadata.name%3Dweb", "watch", "", "pods", null, "a", "web")]
    [TestCase("GET", "/api/v1/namespaces/a/pods/web", "get", "", "pods", null, "a", "web")]
    [TestCase("GET", "/apis/apps/v1/deployments", "list", "apps", "deployments", null, null, null)]
    [TestCase("PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale", "patch", "apps", "deployments", "scale", "a", "web")]
    [TestCase("PUT", "/apis/celeryproject.org/v1alpha1/namespaces/a/celeries/shop/status", "update", "celeryproject.org", "celeries", "status", "a", "shop")]
    [TestCase("POST", "/api/v1/namespaces/a/events", "create", "", "events", null, "a", null)]
    [TestCase("DELETE", "/api/v1/namespaces/a/configmaps", "deletecollection", "", "configmaps", null, "a", null)]
    [TestCase("DELETE", "/api/v1/namespaces/a/configmaps/c", "delete", "", "configmaps", null, "a", "c")]
    [TestCase("GET", "/api/v1/namespaces/a", "get", "", "namespaces", null, "a", "a")]
    [TestCase("PUT", "/api/v1/namespaces/a/finalize", "update", "", "namespaces", "finalize", "a", "a")]
    [TestCase("GET", "/api/v1/namespaces", "list", "", "namespaces", null, null, null)]
    [TestCase("GET", "/apis/example.com/v1/widgets", "list", "example.com", "widgets", null, null, null)]
    public void ResourceRequestsAreParsedAsKubeApiserverDoes(string method, string path, string verb, string group, string resource, string? subresource, string? ns, string? name)
    {
        var attributes = Parse(method, path);
        Assert.Multiple(() =>
        {
            Assert.That(attributes.IsResourceRequest, Is.True);
            Assert.That(attributes.Verb, Is.EqualTo(verb));
            Assert.That(attributes.Group, Is.EqualTo(group));
            Assert.That(attributes.Resource, Is.EqualTo(resource));
            Assert.That(attributes.Subresource, Is.EqualTo(subresource));
            Assert.That(attributes.Namespace, Is.EqualTo(ns));
            Assert.That(attributes.Name, Is.EqualTo(name));
        });
    }

    [TestCase("GET", "/api", "get")]
    [TestCase("GET", "/api/v1", "get")]
    [TestCase("GET", "/apis/apps", "get")]
    [TestCase("GET", "/apis/apps/v1", "get")]
    [TestCase("GET", "/version", "get")]
    [TestCase("POST", "/healthz", "post")]
    public void EverythingElseIsANonResourceRequestWithTheMethodAsVerb(string method, string path, string verb)
    {
        var attributes = Parse(method, path);
        Assert.Multiple(() =>
        {
            Assert.That(attributes.IsResourceRequest, Is.False);
            Assert.That(attributes.Verb, Is.EqualTo(verb));
            Assert.That(attributes.Path, Is.EqualTo(path));
        });
    }

    private static PolicyRule Rule(string json) => PolicyRule.Parse(JsonNode.Parse(json));

    [Test]
    public void RulesMatchVerbsGroupsResourcesAndNamesLikeTheRbacAuthorizer()
    {
        var patchScale = Parse("PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale");
        var listDeployments = Parse("GET", "/apis/apps/v1/namespaces/a/deployments");
        var getWeb = Parse("GET", "/apis/apps/v1/namespaces/a/deployments/web");
        Assert.Multiple(() =>
        {
            Assert.That(Rule("""{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments"]}""").Allows(patchScale), Is.False, "a subresource is a resource of its own");
            Assert.That(Rule("""{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments/scale"]}""").Allows(patchScale), Is.True);
            Assert.That(Rule("""{"verbs":["patch"],"apiGroups":["apps"],"resources":["*/scale"]}""").Allows(patchScale), Is.True);
            Assert.That(Rule("""{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""").Allows(patchScale), Is.True);
            Assert.That(Rule("""{"verbs":["get","list"],"apiGroups":[""],"resources":["deployments"]}""").Allows(listDeployments), Is.False, "the core group is not apps");
            Assert.That(Rule("""{"verbs":["get","list"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}""").Allows(getWeb), Is.True);
            Assert.That(Rule("""{"verbs":["get","list"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}""").Allows(listDeployments), Is.False,
                "resourceNames never match a request without a name");
            Assert.That(Rule("""{"verbs":["list"],"apiGroups":["apps"],"resources":["deployments"]}""").Allows(listDeployments.WithVerb("watch")), Is.False);
        });
    }

    [Test]
    public void NonResourceRulesMatchPathsExactlyOrByTrailingStar()
    {
        var rule = Rule("""{"verbs":["get"],"nonResourceURLs":["/apis/*","/version"]}""");
        Assert.Multiple(() =>
        {
            Assert.That(rule.Allows(Parse("GET", "/apis/apps/v1")), Is.True);
            Assert.That(rule.Allows(Parse("GET", "/version")), Is.True);
            Assert.That(rule.Allows(Parse("GET", "/apis")), Is.False, "/apis/* does not cover /apis");
            Assert.That(rule.Allows(Parse("POST", "/version")), Is.False);
            Assert.That(Rule("""{"verbs":["get"],"apiGroups":["*"],"resources":["*"]}""").Allows(Parse("GET", "/version")), Is.False, "resource rules never allow a path");
        });
    }

    [Test]
    public void RefusalsAreWordedAsKubeApiserverWordsThem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RequestAuthorization.Forbidden(Parse("PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale"), string.Empty).Message, Is.EqualTo(
                "deployments.apps \"web\" is forbidden: User \"alice\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"a\""));
            Assert.That(RequestAuthorization.Forbidden(Parse("GET", "/api/v1/secrets"), string.Empty).Message, Is.EqualTo(
                "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" at the cluster scope"));
            Assert.That(RequestAuthorization.Forbidden(Parse("GET", "/apis"), string.Empty).Message, Is.EqualTo(
                "forbidden: User \"alice\" cannot get path \"/apis\""));
            Assert.That(UserInfo.ServiceAccountGroups("system:serviceaccount:ops:runner"), Is.EqualTo(new[] { "system:serviceaccounts", "system:serviceaccounts:ops" }));
            Assert.That(UserInfo.ServiceAccountGroups("system:serviceaccount:ops"), Is.Empty);
        });
    }
}
