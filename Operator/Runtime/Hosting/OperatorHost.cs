namespace Operator.Runtime.Hosting;

/// <summary>Builds and runs the operator's host. Replaced by the controller-runtime work.</summary>
internal static class OperatorHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        await using var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
