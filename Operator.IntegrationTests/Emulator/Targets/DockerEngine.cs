// Whether a Docker engine answers here. A docker CLI without a daemon is common (CI images, sandboxes), so the
// probe asks the engine itself (`docker info`) after checking that an endpoint is configured at all.
using System.Diagnostics;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Probes for a reachable Docker engine.</summary>
internal static class DockerEngine
{
    private const string DefaultSocket = "/var/run/docker.sock";

    private static readonly Lazy<string?> Probe = new(FindProblem);

    /// <summary>Why no Docker engine can be used; null when one answers.</summary>
    public static string? Problem => Probe.Value;

    private static string? FindProblem()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host) && !File.Exists(DefaultSocket))
        {
            return $"no Docker engine: DOCKER_HOST is not set and {DefaultSocket} does not exist";
        }

        try
        {
            var start = new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return "no Docker engine: the docker CLI did not start";
            }

            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return "no Docker engine: `docker info` did not answer within 20 s";
            }

            return process.ExitCode == 0 && output.Result.Trim().Length > 0
                ? null
                : $"no Docker engine: `docker info` failed ({error.Result.Trim().Split('\n')[0]})";
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return $"no Docker engine: the docker CLI is not installed ({error.Message})";
        }
    }
}
