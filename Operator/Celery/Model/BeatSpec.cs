using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>The beat scheduler.</summary>
[CelRule(ScheduleArgsRule, "args may not set --schedule (-s) when persistence is set: the schedule file lives on the claim", FieldPath = ".args")]
[CelRule(ScheduleVolumeRule, "podTemplate.volumes may not define the beat-schedule volume when persistence is set: the claim is that volume", FieldPath = ".podTemplate.volumes")]
public sealed record BeatSpec : CeleryComponentSpec
{
    /// <summary>The volume beat keeps its schedule file on (an emptyDir, or the claim of <see cref="Persistence"/>).</summary>
    public const string ScheduleVolume = "beat-schedule";

    public const string ScheduleArgsRule =
        "!has(self.persistence) || !has(self.args) || !self.args.exists(a, a == '--schedule' || a.startsWith('--schedule=') || a.startsWith('-s'))";

    public const string ScheduleVolumeRule =
        "!has(self.persistence) || !has(self.podTemplate) || !has(self.podTemplate.volumes) || !self.podTemplate.volumes.exists(v, v.name == '" + ScheduleVolume + "')";

    [SchemaDefault(false)]
    [Description("Run celery beat (one replica, Recreate strategy: never two schedulers).")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [MaxLength(253)]
    [Description("Scheduler class (--scheduler), for example django_celery_beat.schedulers:DatabaseScheduler. The default (PersistentScheduler) keeps its schedule file on an emptyDir volume, so a restarted beat forgets when each entry last ran; beat.persistence keeps that file on a PersistentVolumeClaim. A database-backed scheduler such as django-celery-beat keeps that state (and the schedule itself, editable at run time) in the application's database instead, and needs no claim.")]
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

    [Description("Keep the schedule file (--schedule) on a PersistentVolumeClaim owned by this resource, so a restarted or rescheduled beat remembers when each entry last ran and neither skips nor repeats one. Beat stays one replica replaced with Recreate, so two schedulers never share the file.")]
    [JsonPropertyName("persistence")]
    public PersistenceSpec? Persistence { get; init; }

    [Description("Compute resources of the beat container.")]
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; init; }
}
