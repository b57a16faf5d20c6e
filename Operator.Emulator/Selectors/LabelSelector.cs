// Grammar (as kube-apiserver's labels.Parse): comma-separated requirements, each one of
//   key | !key | key=value | key==value | key!=value | key in (v1,v2) | key notin (v1,v2) | key>n | key<n
// An empty selector matches everything. "!=" and "notin" also match objects without the key.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Selectors;

/// <summary>A parsed label selector.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => this.requirements = requirements;

    private enum Operator
    {
        Exists,
        DoesNotExist,
        In,
        NotIn,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Operator, IReadOnlySet<string> Values);

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector([.. SplitTopLevel(text).Select(ParseRequirement)]);
    }

    /// <summary>Converts a metav1.LabelSelector (matchLabels, matchExpressions) to its string form.</summary>
    public static string Format(JsonObject? selector)
    {
        if (selector is null)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value?.GetValue<string>()}"));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression["key"]?.GetValue<string>() ?? string.Empty;
                var values = (expression["values"] as JsonArray ?? []).Select(value => value?.GetValue<string>()).Order(StringComparer.Ordinal);
                parts.Add((expression["operator"]?.GetValue<string>()) switch
                {
                    "In" => $"{key} in ({string.Join(",", values)})",
                    "NotIn" => $"{key} notin ({string.Join(",", values)})",
                    "Exists" => key,
                    "DoesNotExist" => "!" + key,
                    var other => throw new SelectorException($"invalid label selector operator \"{other}\""),
                });
            }
        }

        return string.Join(",", parts);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(requirement => Matches(requirement, labels));

    private static bool Matches(Requirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Operator switch
        {
            Operator.Exists => present,
            Operator.DoesNotExist => !present,
            Operator.In => present && requirement.Values.Contains(value!),
            Operator.NotIn => !present || !requirement.Values.Contains(value!),
            Operator.GreaterThan => present && long.TryParse(value, CultureInfo.InvariantCulture, out var more) && more > long.Parse(requirement.Values.First(), CultureInfo.InvariantCulture),
            Operator.LessThan => present && long.TryParse(value, CultureInfo.InvariantCulture, out var less) && less < long.Parse(requirement.Values.First(), CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static Requirement ParseRequirement(string text)
    {
        var part = text.Trim();
        if (part.StartsWith('!'))
        {
            return new Requirement(ValidKey(part[1..].Trim()), Operator.DoesNotExist, new HashSet<string>());
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',').Select(value => value.Trim()).Where(value => value.Length > 0).ToHashSet(StringComparer.Ordinal);
            if (values.Count == 0)
            {
                throw new SelectorException($"unable to parse requirement: found ')', expected: identifier in \"{part}\"");
            }

            return new Requirement(ValidKey(setMatch.Groups[1].Value), setMatch.Groups[2].Value == "in" ? Operator.In : Operator.NotIn, values);
        }

        foreach (var (token, op) in new[] { ("==", Operator.In), ("!=", Operator.NotIn), ("=", Operator.In), (">", Operator.GreaterThan), ("<", Operator.LessThan) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = part[(at + token.Length)..].Trim();
                if (op is Operator.GreaterThan or Operator.LessThan && !long.TryParse(value, CultureInfo.InvariantCulture, out _))
                {
                    throw new SelectorException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: \"{part}\"");
                }

                return new Requirement(ValidKey(part[..at].Trim()), op, new HashSet<string>(StringComparer.Ordinal) { ValidValue(value) });
            }
        }

        return new Requirement(ValidKey(part), Operator.Exists, new HashSet<string>());
    }

    private static string ValidKey(string key)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!'))
        {
            throw new SelectorException($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static string ValidValue(string value)
    {
        if (value.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!'))
        {
            throw new SelectorException($"unable to parse requirement: invalid label value \"{value}\"");
        }

        return value;
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        if (depth != 0 || parts.Any(part => part.Trim().Length == 0))
        {
            throw new SelectorException($"unable to parse requirement: malformed selector \"{text}\"");
        }

        return parts;
    }
}
