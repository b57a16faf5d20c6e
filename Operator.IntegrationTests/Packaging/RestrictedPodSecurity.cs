// The "restricted" Pod Security Standard (as of Kubernetes 1.30, "latest"), checked on a pod spec the way the
// PodSecurity admission controller evaluates it: baseline checks (host namespaces, privileged, capabilities
// beyond the default set, hostPath, hostPort, AppArmor, SELinux, /proc mount, sysctls) plus the restricted
// ones (volume types, privilege escalation, running as non-root, non-zero UID, seccomp, dropping ALL
// capabilities and adding at most NET_BIND_SERVICE). Invariant: an empty result means the pod would be admitted
// to a namespace labelled pod-security.kubernetes.io/enforce=restricted; each violation names its check and field.

namespace Operator.IntegrationTests.Packaging;

/// <summary>Evaluates a pod spec against the restricted Pod Security Standard.</summary>
internal static class RestrictedPodSecurity
{
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly HashSet<string> SafeSysctls = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    private static readonly HashSet<string> AllowedSeLinuxTypes = new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t" };

    public static IReadOnlyList<string> Violations(V1PodSpec pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var violations = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                violations.Add(message);
            }
        }

        Check(pod.HostNetwork != true && pod.HostPID != true && pod.HostIPC != true, "host namespaces: hostNetwork, hostPID and hostIPC must be unset or false");
        foreach (var volume in pod.Volumes ?? [])
        {
            var allowed = volume.ConfigMap is not null || volume.Csi is not null || volume.DownwardAPI is not null || volume.EmptyDir is not null
                || volume.Ephemeral is not null || volume.PersistentVolumeClaim is not null || volume.Projected is not null || volume.Secret is not null;
            Check(allowed, $"volume types: volume {volume.Name} must be configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret");
        }

        var podContext = pod.SecurityContext;
        foreach (var sysctl in podContext?.Sysctls ?? [])
        {
            Check(SafeSysctls.Contains(sysctl.Name), $"sysctls: {sysctl.Name} is not a safe sysctl");
        }

        Check(podContext?.AppArmorProfile?.Type is null or "RuntimeDefault" or "Localhost", "AppArmor: pod profile must be RuntimeDefault or Localhost");
        Check(SeLinuxAllowed(podContext?.SeLinuxOptions), "SELinux: pod seLinuxOptions may set only an allowed type");
        Check(podContext?.RunAsUser != 0, "runAsUser: the pod must not run as UID 0");
        var podSeccomp = podContext?.SeccompProfile?.Type;
        Check(podSeccomp is null or "RuntimeDefault" or "Localhost", "seccomp: the pod profile must be RuntimeDefault or Localhost");

        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers ?? []))
        {
            var where = $"container {container.Name}";
            var context = container.SecurityContext;
            Check(context?.Privileged != true, $"privileged: {where} must not be privileged");
            Check((context?.Capabilities?.Add ?? []).All(BaselineCapabilities.Contains), $"capabilities: {where} adds capabilities beyond the baseline set");
            Check((context?.Capabilities?.Add ?? []).All(c => c == "NET_BIND_SERVICE"), $"capabilities: {where} may add only NET_BIND_SERVICE");
            Check((context?.Capabilities?.Drop ?? []).Contains("ALL"), $"capabilities: {where} must drop ALL");
            Check(context?.AllowPrivilegeEscalation == false, $"allowPrivilegeEscalation: {where} must set it to false");
            Check(context?.ProcMount is null or "Default", $"procMount: {where} must use the default /proc mask");
            Check(context?.AppArmorProfile?.Type is null or "RuntimeDefault" or "Localhost", $"AppArmor: {where} profile must be RuntimeDefault or Localhost");
            Check(SeLinuxAllowed(context?.SeLinuxOptions), $"SELinux: {where} seLinuxOptions may set only an allowed type");
            Check(context?.RunAsUser != 0, $"runAsUser: {where} must not run as UID 0");
            Check(context?.RunAsNonRoot ?? podContext?.RunAsNonRoot ?? false, $"runAsNonRoot: {where} (or the pod) must set runAsNonRoot: true");
            var seccomp = context?.SeccompProfile?.Type ?? podSeccomp;
            Check(seccomp is "RuntimeDefault" or "Localhost", $"seccomp: {where} (or the pod) must set a RuntimeDefault or Localhost profile");
            foreach (var port in container.Ports ?? [])
            {
                Check(port.HostPort is null or 0, $"host ports: {where} must not use hostPort {port.HostPort}");
            }
        }

        return violations;
    }

    private static bool SeLinuxAllowed(V1SELinuxOptions? options) =>
        options is null || (string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Role) && AllowedSeLinuxTypes.Contains(options.Type ?? string.Empty));
}
