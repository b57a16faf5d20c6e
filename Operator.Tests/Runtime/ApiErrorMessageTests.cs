// Error answers of the API end up in Events and status conditions, which anyone who can read the resource sees: the
// values a server quotes back (a Secret's data, an environment variable) must never be repeated, nor a body that is
// not a Status.
using Operator.Runtime.Apply;

namespace Operator.Tests.Runtime;

public sealed class ApiErrorMessageTests
{
    private static string Status(string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { kind = "Status", apiVersion = "v1", status = "Failure", message, reason = "Invalid", code = 422 });

    [Test]
    public void QuotedValuesAreRedactedAndTheRestOfTheMessageKept()
    {
        var message = ApiErrorMessage.From(Status(
            "Secret \"shop-keda-broker\" is invalid: [data[password]: Invalid value: \"hunter2 \\\"quoted\\\"\": must be short, type: Unsupported value: \"Weird\": supported values: \"Opaque\"]"));
        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Not.Contain("hunter2").And.Not.Contain("quoted").And.Not.Contain("Weird"));
            Assert.That(message, Does.StartWith("Secret \"shop-keda-broker\" is invalid: [data[password]: Invalid value: \"<redacted>\": must be short"));
            Assert.That(message, Does.Contain("Unsupported value: \"<redacted>\""));
        });
    }

    [Test]
    public void MessagesAreBoundedAndBodiesThatAreNotStatusesAreNotRepeated()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ApiErrorMessage.From(Status(new string('a', 5000))), Has.Length.LessThanOrEqualTo(ApiErrorMessage.MaxLength + 1));
            Assert.That(ApiErrorMessage.From("<html>password=hunter2</html>"), Does.Not.Contain("hunter2").And.Contain("not a Status"));
            Assert.That(ApiErrorMessage.From(Status("deployments.apps \"web\" is forbidden: User \"op\" cannot create resource \"deployments\"")),
                Is.EqualTo("deployments.apps \"web\" is forbidden: User \"op\" cannot create resource \"deployments\""), "messages without quoted values pass unchanged");
        });
    }
}
