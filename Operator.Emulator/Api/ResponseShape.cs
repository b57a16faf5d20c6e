// Content negotiation of a read, as kube-apiserver does it for JSON: the Accept header's media types are tried in
// order and the first the emulator can serve wins: application/json (or */*) for the object itself,
// `application/json;as=Table;g=meta.k8s.io;v=v1|v1beta1` for a Table, and
// `application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1|v1beta1` (`PartialObjectMetadataList` for a list) for
// metadata only. Protobuf and other types are skipped; no Accept at all means the object.
namespace Operator.Emulator.Api;

/// <summary>What form the objects of a response take.</summary>
public enum ResponseForm
{
    Object,
    Table,
    PartialObjectMetadata,
}

/// <summary>The negotiated form of a response and, for meta.k8s.io forms, the version asked for.</summary>
public sealed record ResponseShape(ResponseForm Form, string MetaVersion = "v1")
{
    public static ResponseShape Object { get; } = new(ResponseForm.Object);

    /// <summary>The apiVersion of a meta.k8s.io form: meta.k8s.io/v1 or meta.k8s.io/v1beta1.</summary>
    public string MetaApiVersion => $"meta.k8s.io/{MetaVersion}";

    public static ResponseShape Negotiate(HttpRequest request, bool isList)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return Object;
        }

        foreach (var entry in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] is not ("application/json" or "application/*" or "*/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var form))
            {
                return Object;
            }

            var version = parameters.GetValueOrDefault("v", "v1");
            if (parameters.GetValueOrDefault("g") != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (form)
            {
                case "Table":
                    return new ResponseShape(ResponseForm.Table, version);
                case "PartialObjectMetadataList" when isList:
                case "PartialObjectMetadata" when !isList:
                    return new ResponseShape(ResponseForm.PartialObjectMetadata, version);
            }
        }

        return Object;
    }
}
