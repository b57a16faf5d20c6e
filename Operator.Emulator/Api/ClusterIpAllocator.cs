// Hands out Service cluster IPs from an IPv4 range, as kube-apiserver's --service-cluster-ip-range allocator does.
// Invariants: an address is handed out at most once while allocated; the range's network address and (for ranges
// with one) its broadcast address are never handed out; the first usable address is the `kubernetes` Service's.
// Addresses of deleted Services are not returned to the pool (the range is large; a real server releases them).
using System.Net;
using System.Net.Sockets;

namespace Operator.Emulator.Api;

/// <summary>Allocates cluster IPs from one IPv4 CIDR range.</summary>
public sealed class ClusterIpAllocator
{
    private readonly Lock gate = new();
    private readonly HashSet<uint> allocated = [];
    private readonly uint first;
    private readonly uint last;
    private uint next;

    /// <exception cref="ArgumentException">The range is not an IPv4 CIDR with room for at least two addresses.</exception>
    public ClusterIpAllocator(string cidr)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var prefix) || prefix is < 1 or > 30)
        {
            throw new ArgumentException($"service cluster IP range must be an IPv4 CIDR with a prefix of 1 to 30 bits: \"{cidr}\"", nameof(cidr));
        }

        Range = cidr;
        var mask = uint.MaxValue << (32 - prefix);
        var network = ToNumber(address) & mask;
        first = network + 1;
        last = (network | ~mask) - 1;
        next = first + 1;
    }

    /// <summary>The range as configured, e.g. 10.96.0.0/12.</summary>
    public string Range { get; }

    /// <summary>The first usable address, which kube-apiserver gives the `kubernetes` Service.</summary>
    public string KubernetesServiceIp => ToText(first);

    /// <summary>The next free address.</summary>
    /// <exception cref="InvalidOperationException">Every address of the range is allocated.</exception>
    public string Allocate()
    {
        lock (gate)
        {
            for (long tried = 0; tried <= last - first; tried++)
            {
                var candidate = next;
                next = next >= last ? first : next + 1;
                if (allocated.Add(candidate))
                {
                    return ToText(candidate);
                }
            }

            throw new InvalidOperationException($"range is full: {Range}");
        }
    }

    /// <summary>Takes <paramref name="ip"/>; null when it was taken, else why it cannot be (kube-apiserver's words).</summary>
    public string? TryAllocate(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
        }

        var number = ToNumber(address);
        if (number < first || number > last)
        {
            return $"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {Range}";
        }

        lock (gate)
        {
            return allocated.Add(number) ? null : $"failed to allocate IP {ip}: provided IP is already allocated";
        }
    }

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static string ToText(uint number) => $"{number >> 24}.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}";
}
