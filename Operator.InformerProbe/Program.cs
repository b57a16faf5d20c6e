// Lists and watches every ConfigMap through the operator's own informer, with the operator's informer settings as
// shipped (InformerOptions.Default: its list page size; the projection it uses for objects it keeps whole, which
// drops managedFields and shares repeated metadata strings), then prints one JSON line and exits:
//   {"prober":"operator","objects":20000,"secondsToSynced":0.51,"cpuSecondsToSynced":0.8,"peakRssBytes":123456789}
// secondsToSynced is measured from the kernel's start of this process (ProcessAge), so everything before Main counts.
// Exit codes: 0 synced, 1 not synced within the timeout (the informer's warnings on standard error say why), 2 bad
// command line.
//   usage: informer-probe KUBECONFIG [TIMEOUT_SECONDS]
using System.Globalization;
using k8s;
using k8s.Models;
using Operator.InformerProbe;
using Operator.Runtime.Hosting;
using Operator.Runtime.Source;

if (args.Length is < 1 or > 2 || !File.Exists(args[0]))
{
    await Console.Error.WriteLineAsync("usage: informer-probe KUBECONFIG [TIMEOUT_SECONDS]  (the kubeconfig must exist)");
    return 2;
}

var timeout = TimeSpan.FromSeconds(args.Length == 2 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 120);
var configMaps = new ResourceDescriptor("", "v1", "configmaps", "ConfigMap", Namespaced: true);
// The kubeconfig read as the operator reads its --kubeconfig.
using var kubernetes = new Kubernetes(KubeconfigFiles.Load([args[0]], context: null, "kubeconfig"));
var options = InformerOptions.Default;
var informer = new Informer<V1ConfigMap>(
    configMaps,
    new ListWatchClient(kubernetes, options.PageSize),
    options,
    logger: new StandardErrorLogger<Informer<V1ConfigMap>>(),
    projection: new ObjectProjection());

using var stop = new CancellationTokenSource();
var running = informer.RunAsync(stop.Token);
var finished = await Task.WhenAny(informer.Synced, running, Task.Delay(timeout, stop.Token)).ConfigureAwait(false);
var seconds = ProcessAge.Seconds();
var cpuSeconds = ProcessAge.CpuSeconds();
if (finished != informer.Synced)
{
    await Console.Error.WriteLineAsync($"the ConfigMap informer did not sync within {timeout.TotalSeconds:F0}s").ConfigureAwait(false);
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"prober\":\"operator\",\"objects\":{informer.Cache.Count},\"secondsToSynced\":{seconds:F3},\"cpuSecondsToSynced\":{cpuSeconds:F2},\"peakRssBytes\":{ProcessAge.PeakResidentBytes()}}}"));
await stop.CancelAsync().ConfigureAwait(false);
await running.ConfigureAwait(false);
return 0;
