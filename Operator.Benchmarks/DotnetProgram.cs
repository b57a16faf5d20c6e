// The benchmark's executables (the emulator, the operator) run as `dotnet <assembly>` child processes of the
// benchmark, in the benchmark's working folder, with the SDK's telemetry off so no child phones home mid-measurement.
using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>Starts a built .NET assembly as a child process.</summary>
public static class DotnetProgram
{
    /// <param name="logDirectory">When given, every output line is also appended to a file named after the process there.</param>
    public static LocalProcess Start(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? logDirectory = null)
    {
        var variables = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return LocalProcess.Start(name, "dotnet", [assembly, .. arguments], variables, Environment.CurrentDirectory, logDirectory: logDirectory);
    }
}
