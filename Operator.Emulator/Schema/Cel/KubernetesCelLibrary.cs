// The CEL environment CRD validation rules run in: the Cel package's standard CEL (macros has/all/exists/exists_one/
// map/filter, size, contains/startsWith/endsWith/matches, in, conversions, timestamps and durations) plus the parts of
// Kubernetes' CEL libraries that are plain functions of strings and lists (registered here). Not available (a rule
// using them fails at evaluation with the library's "no function ... matches" message): the quantity, url, ip/cidr,
// format and regex find libraries, sets, optionals (`?.`, `orValue`), and cost estimation.
// Invariants: compiling is serialized (the environment is shared); a compiled program is a pure function of its
// variables and may run on any thread.
using System.Collections;
using System.Text;
using Antlr4.Runtime.Tree;
using Cel;

namespace Operator.Emulator.Schema.Cel;

internal static class KubernetesCelLibrary
{
    private static readonly Lock CompileLock = new();
    private static readonly CelEnvironment Environment = Create();

    /// <summary>A compiled expression and whether it names <c>oldSelf</c>.</summary>
    public sealed record Compiled(CelProgramDelegate Program, bool UsesOldSelf);

    /// <exception cref="CelException">The expression does not parse.</exception>
    public static Compiled Compile(string expression)
    {
        lock (CompileLock)
        {
            var tree = Environment.Parse(expression);
            return new Compiled(Environment.Compile(tree), NamesIdentifier(tree, "oldSelf"));
        }
    }

    private static bool NamesIdentifier(IParseTree node, string identifier)
    {
        if (node is ITerminalNode terminal)
        {
            return terminal.GetText() == identifier;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            if (NamesIdentifier(node.GetChild(i), identifier))
            {
                return true;
            }
        }

        return false;
    }

    private static CelEnvironment Create()
    {
        var environment = new CelEnvironment(null, null);
        Type[] text = [typeof(string)];
        Type[] textText = [typeof(string), typeof(string)];
        Type[] list = [typeof(IList)];
        environment.RegisterFunction("lowerAscii", text, args => LowerAscii((string)args[0]!));
        environment.RegisterFunction("upperAscii", text, args => UpperAscii((string)args[0]!));
        environment.RegisterFunction("trim", text, args => ((string)args[0]!).Trim());
        environment.RegisterFunction("indexOf", textText, args => (long)((string)args[0]!).IndexOf((string)args[1]!, StringComparison.Ordinal));
        environment.RegisterFunction("lastIndexOf", textText, args => (long)((string)args[0]!).LastIndexOf((string)args[1]!, StringComparison.Ordinal));
        environment.RegisterFunction("split", textText, args => ((string)args[0]!).Split((string)args[1]!).Cast<object?>().ToList());
        environment.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)], args => ((string)args[0]!).Replace((string)args[1]!, (string)args[2]!, StringComparison.Ordinal));
        environment.RegisterFunction("substring", [typeof(string), typeof(long)], args => Substring((string)args[0]!, (long)args[1]!, null));
        environment.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)], args => Substring((string)args[0]!, (long)args[1]!, (long)args[2]!));
        environment.RegisterFunction("charAt", [typeof(string), typeof(long)], args => Substring((string)args[0]!, (long)args[1]!, (long)args[1]! + 1));
        environment.RegisterFunction("join", list, args => string.Join(string.Empty, ((IList)args[0]!).Cast<object?>()));
        environment.RegisterFunction("join", [typeof(IList), typeof(string)], args => string.Join((string)args[1]!, ((IList)args[0]!).Cast<object?>()));
        environment.RegisterFunction("isSorted", list, args => IsSorted((IList)args[0]!));
        environment.RegisterFunction("sum", list, args => Sum((IList)args[0]!));
        environment.RegisterFunction("min", list, args => Extreme((IList)args[0]!, smallest: true));
        environment.RegisterFunction("max", list, args => Extreme((IList)args[0]!, smallest: false));
        return environment;
    }

    private static string LowerAscii(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
        }
    });

    private static string UpperAscii(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterLower(source[i]) ? (char)(source[i] - 32) : source[i];
        }
    });

    /// <summary>Code-point substring, as Kubernetes' strings library counts (runes, not UTF-16 units).</summary>
    private static string Substring(string text, long start, long? end)
    {
        var runes = text.EnumerateRunes().ToArray();
        var stop = end ?? runes.Length;
        if (start < 0 || start > runes.Length || stop < start || stop > runes.Length)
        {
            throw new CelArgumentRangeException($"index out of range: {(start < 0 || start > runes.Length ? start : stop)}");
        }

        var builder = new StringBuilder();
        for (var i = start; i < stop; i++)
        {
            builder.Append(runes[i].ToString());
        }

        return builder.ToString();
    }

    private static int Compare(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (IConvertible a, IConvertible b) => Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new CelNoSuchOverloadException($"no such overload: cannot compare {left?.GetType().Name ?? "null"} and {right?.GetType().Name ?? "null"}"),
    };

    private static bool IsSorted(IList items)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (Compare(items[i - 1], items[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static object Sum(IList items)
    {
        if (items.Cast<object?>().All(item => item is long or int))
        {
            return items.Cast<object?>().Sum(item => Convert.ToInt64(item, System.Globalization.CultureInfo.InvariantCulture));
        }

        return items.Cast<object?>().Sum(item => Convert.ToDouble(item, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static object? Extreme(IList items, bool smallest)
    {
        if (items.Count == 0)
        {
            throw new CelArgumentRangeException(smallest ? "min(list) argument must not be empty" : "max(list) argument must not be empty");
        }

        var best = items[0];
        foreach (var item in items)
        {
            var order = Compare(item, best);
            if (smallest ? order < 0 : order > 0)
            {
                best = item;
            }
        }

        return best;
    }
}
