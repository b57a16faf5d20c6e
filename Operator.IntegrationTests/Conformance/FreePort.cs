using System.Net.Sockets;

namespace Operator.IntegrationTests.Conformance;

/// <summary>Loopback TCP ports the operating system reports free.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
