// Runs the real kubectl against the emulator. Every run has a deadline; output is captured whole.
using System.Diagnostics;

namespace Operator.Testing;

/// <summary>What one kubectl run printed and how it exited.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    /// <summary>This result, when kubectl exited 0.</summary>
    /// <exception cref="InvalidOperationException">kubectl failed; the message carries what it printed.</exception>
    public KubectlResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"kubectl failed (exit {ExitCode}): {Error}{Output}");
}

/// <summary>Runs kubectl with one kubeconfig (and optionally a default namespace).</summary>
public sealed class KubectlRunner(string kubeconfigPath, string? defaultNamespace = null)
{
    public const string Executable = "/usr/bin/kubectl";

    public static bool Installed => File.Exists(Executable);

    /// <summary>Why kubectl cannot run here, or null when it can.</summary>
    public static string? Missing => Installed ? null : $"kubectl is not installed at {Executable}";

    public async Task<KubectlResult> RunWithInputAsync(string stdin, params string[] arguments)
    {
        var result = await SeparatedOutputCommand.RunAsync(StartInfo(arguments), TimeSpan.FromSeconds(60), stdin);
        return new KubectlResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public Task<KubectlResult> RunAsync(params string[] arguments) => RunWithInputAsync(string.Empty, arguments);

    /// <summary>Starts a long-running kubectl (e.g. <c>get --watch</c>) whose output lines are waited for; disposing kills it.</summary>
    public LocalProcess Start(params string[] arguments)
    {
        var start = StartInfo(arguments);
        return LocalProcess.Start("kubectl", start.FileName, start.ArgumentList, new Dictionary<string, string?>(), Path.GetTempPath());
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfigPath);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(Path.GetTempPath(), "emulator-kubectl-cache", Path.GetFileNameWithoutExtension(kubeconfigPath)));
        if (defaultNamespace is not null)
        {
            start.ArgumentList.Add("--namespace");
            start.ArgumentList.Add(defaultNamespace);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
