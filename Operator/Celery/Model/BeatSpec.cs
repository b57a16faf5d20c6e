using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>The beat scheduler.</summary>
public sealed record BeatSpec : CeleryComponentSpec
{
    [SchemaDefault(false)]
    [Description("Run celery beat (one replica, Recreate strategy: never two schedulers).")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [MaxLength(253)]
    [Description("Scheduler class (--scheduler), for example django_celery_beat.schedulers:DatabaseScheduler. The default (PersistentScheduler) keeps its schedule file on an emptyDir volume, so a restarted beat forgets when each entry last ran (give beat.podTemplate.volumes a persistentVolumeClaim volume named beat-schedule to keep it); a database-backed scheduler such as django-celery-beat keeps that state in the application's database instead.")]
    [JsonPropertyName("scheduler")]
    public string? Scheduler { get; init; }

    [AllowedValues("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")]
    [SchemaDefault("INFO")]
    [Description("Log level (--loglevel).")]
    [JsonPropertyName("logLevel")]
    public string? LogLevel { get; init; }

    [MaxLength(64)]
    [Description("Extra arguments appended to the beat command line.")]
    [JsonPropertyName("args")]
    public IList<string>? Args { get; init; }

    [Description("Compute resources of the beat container.")]
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; init; }
}
