// A local stand-in for a container image and pod: the test Celery app importable under the module path the
// resource names in spec.app (so the generated --app argument is used unchanged), a `celery` executable that
// runs Debian's Celery, an empty working directory, and one local directory per volume mount. Invariant: every
// process started here is killed when the workspace is disposed, whether the test passed or not.

namespace Operator.IntegrationTests.Conformance;

/// <summary>Runs rendered containers as local processes.</summary>
internal sealed class CeleryWorkspace : IAsyncDisposable
{
    private const string CeleryExecutable = "celery";
    private readonly string root = Directory.CreateTempSubdirectory("conformance-celery-").FullName;
    private readonly List<LocalProcess> processes = [];

    private CeleryWorkspace(string application)
    {
        AppDirectory = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        BinDirectory = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        OutputDirectory = Directory.CreateDirectory(Path.Combine(root, "output")).FullName;
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "workdir")).FullName;
        VolumesDirectory = Directory.CreateDirectory(Path.Combine(root, "volumes")).FullName;
        foreach (var file in Directory.GetFiles(RepositoryRoot.File("Operator.IntegrationTests/Conformance/app"), "*.py"))
        {
            File.Copy(file, Path.Combine(AppDirectory, Path.GetFileName(file)));
        }

        LinkApplicationModule(application);
        var celery = Path.Combine(BinDirectory, CeleryExecutable);
        File.WriteAllText(celery, $"#!/bin/sh\nexec {LocalPrograms.Python} -m celery \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(celery, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    public string AppDirectory { get; }

    public string BinDirectory { get; }

    /// <summary>Where the test app's tasks record what they did.</summary>
    public string OutputDirectory { get; }

    /// <summary>The containers' working directory; it stays empty when they write only to their volumes.</summary>
    public string WorkingDirectory { get; }

    public string VolumesDirectory { get; }

    /// <summary>The worker's default node name, celery@hostname: in a pod, the hostname is the pod name.</summary>
    public static string WorkerNode => "celery@" + Dns.GetHostName();

    /// <summary>
    /// The node name the container's worker takes: its --hostname with Celery's %h (host name), %n (its first label)
    /// and %d (the rest) expanded, else <see cref="WorkerNode"/>.
    /// </summary>
    public static string NodeName(V1Container container)
    {
        const string flag = "--hostname=";
        if ((container.Args ?? []).LastOrDefault(a => a.StartsWith(flag, StringComparison.Ordinal)) is not { } hostname)
        {
            return WorkerNode;
        }

        var host = Dns.GetHostName();
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return hostname[flag.Length..]
            .Replace("%h", host, StringComparison.Ordinal)
            .Replace("%n", dot < 0 ? host : host[..dot], StringComparison.Ordinal)
            .Replace("%d", dot < 0 ? "" : host[(dot + 1)..], StringComparison.Ordinal);
    }

    public static CeleryWorkspace Create(string application) => new(application);

    /// <summary>The local directory standing in for a volume mount.</summary>
    public string VolumeDirectory(V1VolumeMount mount) => Path.Combine(VolumesDirectory, mount.Name);

    /// <summary>
    /// Starts <paramref name="container"/> as a local process: its command and args, its environment with Secrets
    /// resolved by <paramref name="rendered"/>, plus <paramref name="extraEnvironment"/>. Each volume mount is a
    /// local directory; args that name a path under a mount path are rewritten to that directory (the only
    /// change made to the generated command line).
    /// </summary>
    public LocalProcess Start(V1Container container, RenderedCelery rendered, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var arguments = new List<string>(container.Command.Skip(1));
        arguments.AddRange(container.Args ?? []);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var local = Directory.CreateDirectory(VolumeDirectory(mount)).FullName;
            for (var i = 0; i < arguments.Count; i++)
            {
                arguments[i] = arguments[i].Replace(mount.MountPath.TrimEnd('/') + "/", local + "/", StringComparison.Ordinal);
            }
        }

        var process = LocalProcess.Start(container.Name, Resolve(container.Command[0]), arguments, Environment(rendered.Environment(container), extraEnvironment), WorkingDirectory);
        processes.Add(process);
        return process;
    }

    /// <summary>Runs a command inside the container's environment, as an exec probe does, killed at <paramref name="timeout"/>.</summary>
    public Task<CommandResult> ExecAsync(IList<string> command, IReadOnlyDictionary<string, string> containerEnvironment, TimeSpan timeout, CancellationToken cancellationToken) =>
        LocalProcess.RunAsync(Resolve(command[0]), command.Skip(1), Environment(containerEnvironment, null), WorkingDirectory, timeout, cancellationToken);

    /// <summary>Runs the `celery` command in the container's environment.</summary>
    public Task<CommandResult> CeleryAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> containerEnvironment, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExecAsync([CeleryExecutable, .. arguments], containerEnvironment, timeout, cancellationToken);

    /// <summary>Runs a script of the test app with Debian's Python in the container's environment.</summary>
    public Task<CommandResult> PythonAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> containerEnvironment, TimeSpan timeout, CancellationToken cancellationToken) =>
        LocalProcess.RunAsync(LocalPrograms.Python, [Path.Combine(AppDirectory, script), .. arguments], Environment(containerEnvironment, null), WorkingDirectory, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>Makes spec.app importable: `shop.celery:app` becomes shop/__init__.py and shop/celery.py exporting `app`.</summary>
    private void LinkApplicationModule(string application)
    {
        var separator = application.IndexOf(':', StringComparison.Ordinal);
        var module = separator < 0 ? application : application[..separator];
        var attribute = separator < 0 ? "app" : application[(separator + 1)..];
        var parts = module.Split('.');
        if (parts[0] is "celery" or "conformance_app" or "send_tasks")
        {
            throw new ArgumentException($"spec.app {application} would shadow a module the test needs", nameof(application));
        }

        var directory = AppDirectory;
        foreach (var package in parts[..^1])
        {
            directory = Directory.CreateDirectory(Path.Combine(directory, package)).FullName;
            File.WriteAllText(Path.Combine(directory, "__init__.py"), "");
        }

        File.WriteAllText(Path.Combine(directory, parts[^1] + ".py"), $"from conformance_app import app as {attribute}  # noqa: F401\n");
    }

    private string Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return executable;
        }

        var search = new[] { BinDirectory }.Concat((System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'));
        return search.Select(d => Path.Combine(d, executable)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{executable} is not on the workspace PATH");
    }

    private Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string> containerEnvironment, IReadOnlyDictionary<string, string>? extra)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Nothing of the test runner's own Celery or Python setup leaks into the "container".
            ["CELERY_BROKER_URL"] = null,
            ["CELERY_RESULT_BACKEND"] = null,
            ["PYTHONHOME"] = null,
            ["PATH"] = BinDirectory + ":" + (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"),
            ["PYTHONPATH"] = AppDirectory,
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["HOSTNAME"] = Dns.GetHostName(),
            ["CONFORMANCE_OUTPUT"] = OutputDirectory,
        };
        foreach (var (key, value) in containerEnvironment)
        {
            env[key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return env;
    }
}
