// A CRD schema exercising every structural schema feature the emulator enforces.
using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

internal static class CustomSchemaFixture
{
    public const string OpenApiV3Schema = """
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "required": ["broker"],
              "properties": {
                "broker": {"type": "string", "minLength": 3, "maxLength": 20, "pattern": "^redis://"},
                "mode": {"type": "string", "enum": ["fast", "safe"], "default": "safe"},
                "replicas": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "default": 1},
                "ratio": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 1},
                "note": {"type": "string", "nullable": true},
                "port": {"x-kubernetes-int-or-string": true},
                "tags": {"type": "array", "x-kubernetes-list-type": "set", "maxItems": 3, "items": {"type": "string"}},
                "workers": {
                  "type": "array", "minItems": 1,
                  "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {
                    "type": "object", "required": ["name"],
                    "properties": {
                      "name": {"type": "string"},
                      "replicas": {"type": "integer", "default": 2},
                      "resources": {"type": "object", "default": {}, "properties": {"cpu": {"type": "string", "default": "100m"}}}
                    }
                  }
                },
                "settings": {"type": "object", "additionalProperties": {"type": "integer"}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"known": {"type": "string"}}},
                "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}
              },
              "x-kubernetes-validations": [{"rule": "self.replicas >= 1", "message": "replicas must be positive"}]
            },
            "status": {"type": "object", "properties": {"conditions": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"], "items": {"type": "object", "properties": {"type": {"type": "string"}}}}}}
          }
        }
        """;

    public static TypeSchema Create()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        registry.RegisterCustom("celery.example.com", "v1", "CeleryApp", Obj(OpenApiV3Schema), hasStatusSubresource: true);
        return registry.Get("celery.example.com", "v1", "CeleryApp");
    }
}
