// Runs the real kubectl against the emulator. Every run has a deadline; output is captured whole.
using System.Diagnostics;

namespace Operator.IntegrationTests.Emulator;

internal sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public KubectlResult EnsureSuccess()
    {
        Assert.That(ExitCode, Is.Zero, $"kubectl failed: {Error}{Output}");
        return this;
    }
}

internal sealed class KubectlRunner(string kubeconfigPath, string? defaultNamespace = null)
{
    public const string Executable = "/usr/bin/kubectl";

    public static bool Installed => File.Exists(Executable);

    public async Task<KubectlResult> RunWithInputAsync(string stdin, params string[] arguments)
    {
        var result = await SeparatedOutputCommand.RunAsync(StartInfo(arguments), TimeSpan.FromSeconds(60), stdin);
        return new KubectlResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public Task<KubectlResult> RunAsync(params string[] arguments) => RunWithInputAsync(string.Empty, arguments);

    /// <summary>Starts a long-running kubectl (e.g. <c>get --watch</c>) whose output is read line by line.</summary>
    public KubectlStream Start(params string[] arguments) => KubectlStream.Start(StartInfo(arguments));

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
