// The settings part of `--help`, read from the settings records themselves (their init properties and the values a
// new record has), so the listing cannot drift from what the host binds.
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Operator.Runtime.LeaderElection;

namespace Operator.Runtime.Hosting;

/// <summary>Lists every setting the host binds: its configuration key, its environment variable and its default.</summary>
public static class SettingsUsage
{
    /// <summary>Defaults that depend on where the process runs (see <see cref="OperatorSettings"/>), not on the record.</summary>
    private static readonly Dictionary<string, string> RuntimeDefaults = new(StringComparer.Ordinal)
    {
        [$"{OperatorSettings.LeaderElectionSectionName}:{nameof(LeaderElectionOptions.Identity)}"] = "$POD_NAME, else the host name and a random suffix",
        [$"{OperatorSettings.LeaderElectionSectionName}:{nameof(LeaderElectionOptions.LeaseNamespace)}"] = "$POD_NAMESPACE, else the service account's namespace, else default",
    };

    /// <summary>One setting: where it is set and what it is when not set.</summary>
    public sealed record Setting(string Key, string EnvironmentVariable, string Default);

    /// <summary>A settings record a module binds from <paramref name="Section"/>; <paramref name="NotSettable"/> are properties it overrides.</summary>
    public sealed record ModuleSection(string Section, object Defaults, params string[] NotSettable);

    /// <summary>The host's settings, then each module's.</summary>
    public static IReadOnlyList<Setting> Settings(IEnumerable<ModuleSection> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var settings = new List<Setting>();
        Add(settings, OperatorOptions.SectionName, new OperatorOptions(), []);
        Add(settings, OperatorSettings.LeaderElectionSectionName, new LeaderElectionOptions(), []);
        Add(settings, KubernetesConnectionOptions.SectionName, new KubernetesConnectionOptions(), []);
        foreach (var module in modules)
        {
            Add(settings, module.Section, module.Defaults, module.NotSettable);
        }

        return settings;
    }

    /// <summary>The listing as `--help` prints it.</summary>
    public static string Write(IEnumerable<ModuleSection> modules)
    {
        var settings = Settings(modules);
        var width = settings.Max(s => s.Key.Length) + 2;
        var text = new StringBuilder();
        text.Append("Settings (command line --Key=value, environment variable, or appsettings.json; docs/operations.md describes each):\n");
        foreach (var setting in settings)
        {
            text.Append(CultureInfo.InvariantCulture, $"  --{setting.Key.PadRight(width)}{setting.EnvironmentVariable}  (default: {setting.Default})\n");
        }

        return text.ToString();
    }

    private static void Add(List<Setting> settings, string section, object defaults, string[] notSettable)
    {
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null && !notSettable.Contains(p.Name)))
        {

            var key = $"{section}:{property.Name}";
            var value = property.GetValue(defaults);
            if (IsNestedSettings(property.PropertyType) && value is not null)
            {
                Add(settings, key, value, []);
                continue;
            }

            var isList = property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);
            var listedKey = isList ? key + ":0" : key;
            settings.Add(new Setting(listedKey, listedKey.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant(), RuntimeDefaults.GetValueOrDefault(key) ?? Format(value)));
        }
    }

    private static bool IsNestedSettings(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Format(object? value) => value switch
    {
        null => "unset",
        string { Length: 0 } => "empty",
        IEnumerable and not string when !((IEnumerable)value).Cast<object>().Any() => "none",
        IEnumerable and not string => string.Join(",", ((IEnumerable)value).Cast<object>()),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "unset",
    };
}
