namespace Operator.IntegrationTests.Emulator;

/// <summary>YAML the kubectl tests apply.</summary>
internal static class Manifests
{
    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer, minimum: 1}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    public static string Widget(string name, int size, string tier = "a") => $$$"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: {{{name}}}
          labels: {tier: {{{tier}}}}
        spec: {size: {{{size}}}}
        """;

    public static string Deployment(string name, int replicas) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{{name}}}
          labels: {app: {{{name}}}}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              containers: [{name: main, image: "nginx:1.27"}]
        """;

    public static string Secret(string name) => $$$"""
        apiVersion: v1
        kind: Secret
        metadata: {name: {{{name}}}}
        type: Opaque
        stringData: {a: b}
        """;
}
