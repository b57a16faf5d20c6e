// Entry point: parses the command line, runs every size × repeat, prints the results table. Exit code 0 when
// every run completed (or --help and --version printed), 1 when any failed (its error is printed and the table
// shows the runs that completed), 2 for a bad command line.
using Microsoft.Extensions.Logging;
using Operator.Benchmarks;

var commandLine = new BenchmarkCommandLine();
var parsed = commandLine.Create().Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    await Console.Error.WriteLineAsync("Run with --help for the options.");
    return 2;
}

if (parsed.Action is not null)
{
    // --help or --version: System.CommandLine prints it.
    return await parsed.InvokeAsync();
}

var options = commandLine.Read(parsed);
if (options.LogDirectory is { } logDirectory)
{
    Directory.CreateDirectory(logDirectory);
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
var logger = loggerFactory.CreateLogger("benchmark");
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var layout = RepositoryLayout.Find(options.OperatorAssembly);
var machine = MachineDescription.Current();
var results = new ResultTable();
var run = new BenchmarkRun(layout, options, results, logger);
var failed = false;
logger.LogInformation("machine: {Machine}", machine);
// informer-peer runs on its own emulator, once, with its repeats inside; the sizes are for the other scenarios.
foreach (var size in options.Scenarios.Any(s => s != Scenario.InformerPeer) ? options.Sizes : Array.Empty<int>())
{
    for (var repeat = 1; repeat <= options.Repeat; repeat++)
    {
        logger.LogInformation("N={Size}: repeat {Repeat} of {Repeats}", size, repeat, options.Repeat);
        try
        {
            await run.RunAsync(size, cancel.Token);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            logger.LogError(e, "N={Size}: repeat {Repeat} failed", size, repeat);
            failed = true;
        }
    }
}

var peer = options.Runs(Scenario.InformerPeer) ? await InformerPeerScenario.RunAndRenderAsync(layout, options, logger, cancel.Token) : (Table: null, Failed: false);
failed |= peer.Failed;

Console.WriteLine();
if (options.Scenarios.Any(s => s != Scenario.InformerPeer))
{
    Console.WriteLine(results.Render(machine, options));
}
else
{
    Console.WriteLine($"machine: {machine}");
}

if (peer.Table is not null)
{
    Console.WriteLine(peer.Table);
}
return failed ? 1 : 0;
