using Operator.Celery;
using Operator.Cli;
using Operator.Runtime.Hosting;

// Offline commands (render, crd, help) never touch a cluster; without a command the arguments configure the operator.
return await OperatorCommandLine.InvokeAsync(args, Console.Out, Console.Error,
    (settings, _) => OperatorHost.RunAsync(settings, CeleryControllerModule.Register)).ConfigureAwait(false);
