// Lists namespaces through a kubeconfig exactly as written, with the official JavaScript client, and prints their names.
//   node list-namespaces.mjs KUBECONFIG
import * as k8s from '@kubernetes/client-node';

const config = new k8s.KubeConfig();
config.loadFromFile(process.argv[2]);
const namespaces = await config.makeApiClient(k8s.CoreV1Api).listNamespace();
console.log(namespaces.items.map(n => n.metadata.name).join(','));
