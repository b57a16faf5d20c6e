using Operator.Emulator.Schema;

namespace Operator.Testing;

/// <summary>
/// Whether the patch and schema engine is built in. Tests of plain verbs run either way (schema enforcement follows
/// this); tests in the <see cref="Category"/> category need it.
/// </summary>
public static class PatchEngine
{
    public const string Category = "NeedsPatchEngine";

    private static readonly Lazy<bool> Probe = new(() =>
    {
        try
        {
            SchemaRegistry.CreateBuiltIn();
            return true;
        }
        catch (NotImplementedException)
        {
            return false;
        }
    });

    public static bool Available => Probe.Value;
}
