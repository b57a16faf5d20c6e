// The merge rule of pod settings, in one place for every component. Workers and beat start from the
// resource-level spec.podTemplate, spec.env and spec.envFrom; Flower starts from nothing but what
// flower.inherit names, so a volume or Secret meant for workers never reaches Flower and (since each
// component's own settings stay its own) nothing set under flower reaches worker or beat pods. The
// component's own settings are then merged over the start: maps by key, env by name, volumes by name,
// volume mounts by mountPath, topology spread constraints by (topologyKey, whenUnsatisfiable), tolerations
// and envFrom appended, single values replaced. In every keyed list, the items of the start that are not
// overridden keep their order and come first; the component's items follow in theirs.
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The effective pod settings of one component after the merge rule.</summary>
public sealed record ComponentPodSettings(string Image, CeleryPodTemplate Template, IReadOnlyList<V1EnvVar> Env, IReadOnlyList<V1EnvFromSource> EnvFrom, CeleryComponentSpec Component)
{
    public const string InheritEnv = "env";
    public const string InheritEnvFrom = "envFrom";
    public const string InheritPodTemplate = "podTemplate";

    /// <summary>A worker group's or beat's settings: the resource-level ones with the component's merged over.</summary>
    public static ComponentPodSettings ForCeleryContainer(CelerySpec spec, CeleryComponentSpec component) =>
        Merge(spec, component, spec.PodTemplate, spec.Env, spec.EnvFrom);

    /// <summary>Flower's settings: its own, over only the resource-level settings flower.inherit names.</summary>
    public static ComponentPodSettings ForFlower(CelerySpec spec, FlowerSpec flower)
    {
        var inherit = flower.Inherit ?? [];
        return Merge(
            spec,
            flower,
            inherit.Contains(InheritPodTemplate) ? spec.PodTemplate : null,
            inherit.Contains(InheritEnv) ? spec.Env : null,
            inherit.Contains(InheritEnvFrom) ? spec.EnvFrom : null);
    }

    /// <summary><paramref name="own"/> merged over <paramref name="start"/> by key: start's other items first, in order, then own's.</summary>
    public static List<T> MergeByKey<T>(IEnumerable<T>? start, IEnumerable<T>? own, Func<T, string> key)
    {
        var ownItems = (own ?? []).ToList();
        var ownKeys = ownItems.Select(key).ToHashSet(StringComparer.Ordinal);
        return [.. (start ?? []).Where(item => !ownKeys.Contains(key(item))), .. ownItems];
    }

    private static ComponentPodSettings Merge(CelerySpec spec, CeleryComponentSpec component, CeleryPodTemplate? sharedTemplate, IList<V1EnvVar>? sharedEnv, IList<V1EnvFromSource>? sharedEnvFrom) => new(
        component.Image is { Length: > 0 } image ? image : spec.Image,
        MergeTemplates(sharedTemplate, component.PodTemplate),
        MergeByKey(sharedEnv, component.Env, e => e.Name),
        [.. sharedEnvFrom ?? [], .. component.EnvFrom ?? []],
        component);

    private static CeleryPodTemplate MergeTemplates(CeleryPodTemplate? shared, CeleryPodTemplate? own)
    {
        if (shared is null || own is null)
        {
            return own ?? shared ?? new CeleryPodTemplate();
        }

        return new CeleryPodTemplate
        {
            Labels = MergeMaps(shared.Labels, own.Labels),
            Annotations = MergeMaps(shared.Annotations, own.Annotations),
            ServiceAccountName = own.ServiceAccountName ?? shared.ServiceAccountName,
            NodeSelector = MergeMaps(shared.NodeSelector, own.NodeSelector),
            Tolerations = [.. shared.Tolerations ?? [], .. own.Tolerations ?? []],
            Affinity = own.Affinity ?? shared.Affinity,
            TopologySpreadConstraints = MergeByKey(shared.TopologySpreadConstraints, own.TopologySpreadConstraints, c => c.TopologyKey + "\n" + c.WhenUnsatisfiable),
            PriorityClassName = own.PriorityClassName ?? shared.PriorityClassName,
            SecurityContext = own.SecurityContext ?? shared.SecurityContext,
            ContainerSecurityContext = own.ContainerSecurityContext ?? shared.ContainerSecurityContext,
            Volumes = MergeByKey(shared.Volumes, own.Volumes, v => v.Name),
            VolumeMounts = MergeByKey(shared.VolumeMounts, own.VolumeMounts, m => m.MountPath),
        };
    }

    private static SortedDictionary<string, string>? MergeMaps(IDictionary<string, string>? shared, IDictionary<string, string>? own)
    {
        if (shared is null && own is null)
        {
            return null;
        }

        var merged = new SortedDictionary<string, string>(shared ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in own ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }
}
