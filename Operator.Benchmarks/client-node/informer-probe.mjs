// The peer of Operator.InformerProbe: lists and watches every ConfigMap through @kubernetes/client-node's informer
// (makeInformer, as its documentation shows it), then prints the same JSON line and exits:
//   {"prober":"client-node","objects":20000,"secondsToSynced":0.45,"cpuSecondsToSynced":0.8,"peakRssBytes":123456789}
// informer.start() resolves once the list is cached and the watch is open. secondsToSynced is measured from the
// kernel's start of this process, read from /proc exactly as the .NET probe reads it (10 ms ticks), so the runtime's
// own start-up counts on both sides. The script must sit beside a node_modules holding @kubernetes/client-node.
//   usage: node informer-probe.mjs KUBECONFIG [TIMEOUT_SECONDS]
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';

// USER_HZ: the unit of the times /proc reports, 100 on every architecture Linux exports to user space.
const ticksPerSecond = 100;

// The command name (field 2) is in parentheses and may hold spaces; the fields after it are separated by spaces.
function statField(number) {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[number - 3]);
}

// Seconds since the kernel started this process: /proc/uptime minus field 22 of /proc/self/stat.
function processAgeSeconds() {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return uptime - statField(22) / ticksPerSecond;
}

// CPU seconds this process has used, user and system, all threads (fields 14 and 15).
function cpuSeconds() {
  return (statField(14) + statField(15)) / ticksPerSecond;
}

function peakResidentBytes() {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find(l => l.startsWith('VmHWM:'));
  return 1024 * Number(line.slice('VmHWM:'.length).replace('kB', '').trim());
}

const [kubeconfig, timeoutSeconds = '120'] = process.argv.slice(2);
if (!kubeconfig) {
  console.error('usage: node informer-probe.mjs KUBECONFIG [TIMEOUT_SECONDS]');
  process.exit(2);
}

setTimeout(() => {
  console.error(`the ConfigMap informer did not sync within ${timeoutSeconds}s`);
  process.exit(1);
}, Number(timeoutSeconds) * 1000).unref();

const config = new k8s.KubeConfig();
config.loadFromFile(kubeconfig);
const api = config.makeApiClient(k8s.CoreV1Api);
const informer = k8s.makeInformer(config, '/api/v1/configmaps', () => api.listConfigMapForAllNamespaces());
informer.on('error', error => {
  console.error(`the ConfigMap informer failed: ${error}`);
  process.exit(1);
});
await informer.start();
const seconds = processAgeSeconds();
const cpu = cpuSeconds();
console.log(JSON.stringify({
  prober: 'client-node',
  objects: informer.list().length,
  secondsToSynced: Number(seconds.toFixed(3)),
  cpuSecondsToSynced: Number(cpu.toFixed(2)),
  peakRssBytes: peakResidentBytes(),
}));
await informer.stop();
process.exit(0);
