// A continue token names the resourceVersion of the first page and the last key returned. It is opaque to clients
// (base64 of JSON); a token that does not decode is a 400, one older than the watch window a 410 as in kube-apiserver.
using System.Text;
using System.Text.Json.Nodes;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>The position a paginated list continues from.</summary>
public sealed record ContinueToken(long ResourceVersion, ObjectKey After)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
    {
        ["v"] = "emulator/v1",
        ["rv"] = ResourceVersion,
        ["ns"] = After.Namespace,
        ["name"] = After.Name,
    }.ToJsonString()));

    public static ContinueToken Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!.AsObject();
            if (json["v"]?.GetValue<string>() != "emulator/v1")
            {
                throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return new ContinueToken(json["rv"]!.GetValue<long>(), new ObjectKey(json["ns"]!.GetValue<string>(), json["name"]!.GetValue<string>()));
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {error.Message}");
        }
    }
}
