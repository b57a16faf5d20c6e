// The one STS call an IRSA identity makes, for the SQS fake: AssumeRoleWithWebIdentity in the AWS query protocol
// (a form-encoded POST with Action and Version, answered in XML), as AWSSDK.SecurityToken 4.x sends it when the
// SDK's default credential chain finds AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN. It hands out one fixed set of
// temporary credentials, so a test can tell that an SQS call was signed with them. Invariant: it answers only a
// request that carries a web identity token and a role; anything else gets STS's 400.
using System.Globalization;
using System.Net;
using System.Security;

namespace Operator.Testing.Sqs;

/// <summary>Temporary credentials STS issues for a web identity, and the requests for them.</summary>
public sealed record StsWebIdentity(string AccessKeyId, string SecretAccessKey, string SessionToken)
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    public static StsWebIdentity Issued { get; } = new("ASIAFAKETEMPORARY001", "tEmPoRaRy/SeCrEt+0123456789abcdefGHIJK", "FwoGZXIvYXdzEFAKESESSIONTOKEN");

    /// <summary>Whether <paramref name="contentType"/> and <paramref name="form"/> are an STS query call.</summary>
    public static bool IsStsCall(string? contentType, IReadOnlyDictionary<string, string> form) =>
        contentType?.StartsWith(FormContentType, StringComparison.Ordinal) == true && form.ContainsKey("Action");

    /// <summary>The status and XML body STS answers <paramref name="form"/> with.</summary>
    public (HttpStatusCode Status, string Body) Answer(IReadOnlyDictionary<string, string> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (form.GetValueOrDefault("Action") != "AssumeRoleWithWebIdentity" || form.GetValueOrDefault("Version") != "2011-06-15"
            || string.IsNullOrEmpty(form.GetValueOrDefault("WebIdentityToken")) || form.GetValueOrDefault("RoleArn") is not { Length: > 0 } role)
        {
            return (HttpStatusCode.BadRequest, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the fake serves AssumeRoleWithWebIdentity only</Message></Error><RequestId>fake</RequestId></ErrorResponse>
                """);
        }

        var session = SecurityElement.Escape(form.GetValueOrDefault("RoleSessionName") ?? "session");
        var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return (HttpStatusCode.OK, $"""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>system:serviceaccount:celery-operator-system:celery-operator</SubjectFromWebIdentityToken>
                <Audience>sts.amazonaws.com</Audience>
                <AssumedRoleUser>
                  <Arn>{SecurityElement.Escape(role)}/{session}</Arn>
                  <AssumedRoleId>AROAFAKEROLEID000000:{session}</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>{AccessKeyId}</AccessKeyId>
                  <SecretAccessKey>{SecretAccessKey}</SecretAccessKey>
                  <SessionToken>{SessionToken}</SessionToken>
                  <Expiration>{expiration}</Expiration>
                </Credentials>
                <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/FAKE</Provider>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """);
    }
}
