using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>Flower, Celery's monitoring UI.</summary>
[CelRule("!has(self.persistence) || self.replicas <= 1", "persistence needs a single Flower replica: Flower's database is one file only one process may write", FieldPath = ".replicas")]
[CelRule(StateArgsRule, "args may not set --persistent or --db when persistence is set: persistence sets both", FieldPath = ".args")]
[CelRule(StateVolumeRule, "podTemplate.volumes may not define the flower-state volume when persistence is set: the claim is that volume", FieldPath = ".podTemplate.volumes")]
public sealed record FlowerSpec : CeleryComponentSpec
{
    public const int DefaultPort = 5555;

    /// <summary>The volume Flower keeps its database on when <see cref="Persistence"/> is set.</summary>
    public const string StateVolume = "flower-state";

    public const string StateArgsRule =
        "!has(self.persistence) || !has(self.args) || !self.args.exists(a, a.startsWith('--persistent') || a.startsWith('--db'))";

    public const string StateVolumeRule =
        "!has(self.persistence) || !has(self.podTemplate) || !has(self.podTemplate.volumes) || !self.podTemplate.volumes.exists(v, v.name == '" + StateVolume + "')";

    [SchemaDefault(true)]
    [Description("Run Flower (default true).")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

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

    [MaxLength(3)]
    [ListSet]
    [AllowedValues("env", "envFrom", "podTemplate")]
    [Description("Resource-level settings Flower shares: env (spec.env), envFrom (spec.envFrom), podTemplate (spec.podTemplate, volumes included). Flower gets none of them unless listed here, and nothing set under flower reaches worker or beat pods. List env when Flower needs the application's settings to import it.")]
    [JsonPropertyName("inherit")]
    public IList<string>? Inherit { get; init; }

    [Description("OAuth login for Flower's UI, with the client credentials from Secrets that only Flower's container reads.")]
    [JsonPropertyName("oauth")]
    public FlowerOAuthSpec? Oauth { get; init; }

    [MaxLength(64)]
    [Description("Extra arguments appended to the Flower command line.")]
    [JsonPropertyName("args")]
    public IList<string>? Args { get; init; }

    [Description("Keep Flower's task and worker history on a PersistentVolumeClaim owned by this resource (--persistent=True with --db on the claim), so a restarted Flower shows what happened before. Flower then runs one replica replaced with Recreate. Flower writes the database when it stops; add --state_save_interval=<milliseconds> to args to also save it periodically.")]
    [JsonPropertyName("persistence")]
    public PersistenceSpec? Persistence { get; init; }

    [Description("A Prometheus Operator ServiceMonitor for Flower's /metrics, created only where monitoring.coreos.com/v1 ServiceMonitor is served (otherwise status.warnings says so).")]
    [JsonPropertyName("serviceMonitor")]
    public FlowerServiceMonitorSpec? ServiceMonitor { get; init; }

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

/// <summary>Flower's OAuth login (Flower's auth_provider, auth and oauth2_* options, passed as FLOWER_* variables).</summary>
public sealed record FlowerOAuthSpec
{
    [Required]
    [AllowedValues("google", "github", "gitlab", "okta")]
    [Description("Identity provider: google, github, gitlab or okta (okta also needs FLOWER_OAUTH2_OKTA_BASE_URL in flower.env).")]
    [JsonPropertyName("provider")]
    public string Provider { get; init; } = "";

    [Required]
    [MinLength(1)]
    [Description("Who may log in (Flower's auth option): e-mail addresses separated by |, or one pattern with a * wildcard, for example *@example.com.")]
    [JsonPropertyName("allowedEmails")]
    public string AllowedEmails { get; init; } = "";

    [Required]
    [RegularExpression("^https?://.+$")]
    [Description("The OAuth redirect URI registered with the provider (Flower's oauth2_redirect_uri), ending in /login.")]
    [JsonPropertyName("redirectUri")]
    public string RedirectUri { get; init; } = "";

    [Required]
    [Description("Secret key holding the OAuth client id (FLOWER_OAUTH2_KEY).")]
    [JsonPropertyName("clientIdSecretRef")]
    public SecretKeyReference ClientIdSecretRef { get; init; } = new();

    [Required]
    [Description("Secret key holding the OAuth client secret (FLOWER_OAUTH2_SECRET).")]
    [JsonPropertyName("clientSecretSecretRef")]
    public SecretKeyReference ClientSecretSecretRef { get; init; } = new();

    [Description("Secret key holding the key Flower signs its login cookies with (FLOWER_COOKIE_SECRET). Set it with more than one Flower replica: otherwise each replica makes its own and logins do not carry over.")]
    [JsonPropertyName("cookieSecretSecretRef")]
    public SecretKeyReference? CookieSecretSecretRef { get; init; }
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

/// <summary>A Prometheus Operator ServiceMonitor scraping Flower's /metrics through Flower's Service.</summary>
public sealed record FlowerServiceMonitorSpec
{
    [SchemaDefault(false)]
    [Description("Create the ServiceMonitor (deleted again when false).")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [RegularExpression("^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")]
    [Description("Scrape interval, a Prometheus duration such as 30s (default: the Prometheus' own scrape interval).")]
    [JsonPropertyName("interval")]
    public string? Interval { get; init; }

    [Description("Labels on the ServiceMonitor, for a Prometheus whose serviceMonitorSelector selects by label (kube-prometheus-stack selects release: <its release name>).")]
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; init; }
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
