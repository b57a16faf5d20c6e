using System.Text.Json;
using k8s;
using Operator.Runtime.Hosting;

namespace Operator.Tests.Hosting;

/// <summary>The operator's kubeconfig reader yields what KubernetesClient's own loader yields, for every kind of entry.</summary>
public sealed class KubeconfigYamlTests
{
    // Token, client certificate and exec users, a CA file and inline CA data, a namespace, proxy and TLS server name,
    // extensions and preferences (untyped values), an anchor with a merge key, and keys the model does not know.
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: exec
        preferences:
          colors: true
        clusters:
        - name: prod
          cluster: &prod
            server: https://prod.example:6443
            certificate-authority: ca.crt
            tls-server-name: api.prod.example
            proxy-url: http://proxy.example:3128
            extensions:
            - name: client.authentication.k8s.io/exec
              extension:
                audience: prod
                retries: 3
        - name: prod-copy
          cluster:
            <<: *prod
            server: https://copy.example:6443
            insecure-skip-tls-verify: true
            not-a-kubeconfig-key: 1
        users:
        - name: token
          user:
            token: abc
        - name: cert
          user:
            client-certificate-data: Y2VydA==
            client-key-data: a2V5
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: aws
              args: [eks, get-token, --cluster-name, prod]
              env:
              - name: AWS_PROFILE
                value: prod
              interactiveMode: Never
              provideClusterInfo: true
        contexts:
        - name: exec
          context:
            cluster: prod
            user: exec
            namespace: workers
        - name: token
          context:
            cluster: prod-copy
            user: token
        """;

    [Test]
    public void EveryEntryReadsAsKubernetesClientReadsIt()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kubeconfig-").FullName, "config");
        File.WriteAllText(path, Kubeconfig);
        try
        {
            var ours = KubeconfigYaml.Read(path);
            var theirs = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

            Assert.Multiple(() =>
            {
                Assert.That(JsonSerializer.Serialize(ours), Is.EqualTo(JsonSerializer.Serialize(theirs)));
                Assert.That(ours!.FileName, Is.EqualTo(theirs.FileName));
                Assert.That(ours.Clusters.Single(c => c.Name == "prod-copy").ClusterEndpoint.CertificateAuthority, Is.EqualTo("ca.crt"), "the merge key brought the anchored fields");
                Assert.That(ours.Users.Single(u => u.Name == "exec").UserCredentials.ExternalExecution.EnvironmentVariables.Single()["value"], Is.EqualTo("prod"));
            });
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Test]
    public void AnEmptyFileReadsAsNothing()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.That(KubeconfigYaml.Read(path), Is.Null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
