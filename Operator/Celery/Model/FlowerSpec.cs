using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>Flower, Celery's monitoring UI.</summary>
public sealed record FlowerSpec
{
    public const int DefaultPort = 5555;

    [SchemaDefault(true)]
    [Description("Run Flower (default true).")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

    [Description("Image with Flower installed (default: spec.image).")]
    [JsonPropertyName("image")]
    public string? Image { get; init; }

    [Range(0, 100)]
    [SchemaDefault(1)]
    [Description("Flower replicas.")]
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; } = 1;

    [Range(1024, 65535)]
    [SchemaDefault(DefaultPort)]
    [Description("Port Flower listens on.")]
    [JsonPropertyName("port")]
    public int Port { get; init; } = DefaultPort;

    [MaxLength(200)]
    [RegularExpression(@"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")]
    [Description("URL prefix Flower is served under (--url_prefix), without slashes at the ends, for example flower.")]
    [JsonPropertyName("urlPrefix")]
    public string? UrlPrefix { get; init; }

    [Description("Secret key holding basic-auth credentials (user:password[,user:password]); passed as FLOWER_BASIC_AUTH.")]
    [JsonPropertyName("basicAuthSecretRef")]
    public SecretKeyReference? BasicAuthSecretRef { get; init; }

    [Description("Secret key holding the RabbitMQ management API URL (--broker_api); passed as FLOWER_BROKER_API.")]
    [JsonPropertyName("brokerApiSecretRef")]
    public SecretKeyReference? BrokerApiSecretRef { get; init; }

    [MaxLength(64)]
    [Description("Extra arguments appended to the Flower command line.")]
    [JsonPropertyName("args")]
    public IList<string>? Args { get; init; }

    [Description("Compute resources of the Flower container.")]
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; init; }

    [Description("The Service in front of Flower.")]
    [JsonPropertyName("service")]
    public FlowerServiceSpec? Service { get; init; }

    [Description("An Ingress for Flower.")]
    [JsonPropertyName("ingress")]
    public FlowerIngressSpec? Ingress { get; init; }
}

/// <summary>Flower's Service.</summary>
public sealed record FlowerServiceSpec
{
    [AllowedValues("ClusterIP", "NodePort", "LoadBalancer")]
    [SchemaDefault("ClusterIP")]
    [Description("Service type.")]
    [JsonPropertyName("type")]
    public string Type { get; init; } = "ClusterIP";

    [Range(1, 65535)]
    [Description("Service port (default: flower.port).")]
    [JsonPropertyName("port")]
    public int? Port { get; init; }

    [Description("Annotations on the Service (for example for a cloud load balancer).")]
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; init; }
}

/// <summary>Flower's Ingress.</summary>
[CelRule("!self.enabled || has(self.host)", "ingress.host is required when the ingress is enabled", FieldPath = ".host")]
public sealed record FlowerIngressSpec
{
    [SchemaDefault(false)]
    [Description("Create an Ingress for Flower.")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [Description("IngressClass name.")]
    [JsonPropertyName("className")]
    public string? ClassName { get; init; }

    [MaxLength(253)]
    [RegularExpression(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    [Description("Host name.")]
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    [RegularExpression("^/.*$")]
    [Description("Path (default: / or /<urlPrefix>).")]
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [Description("TLS settings.")]
    [JsonPropertyName("tls")]
    public FlowerIngressTls? Tls { get; init; }

    [Description("Annotations on the Ingress.")]
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; init; }
}

/// <summary>Ingress TLS.</summary>
public sealed record FlowerIngressTls
{
    [Required]
    [MinLength(1)]
    [Description("Secret holding the certificate and key.")]
    [JsonPropertyName("secretName")]
    public string SecretName { get; init; } = "";
}
