// Lifetime: StartAsync builds the object graph, seeds the initial namespaces, binds Kestrel on 127.0.0.1 and
// starts the background controllers; DisposeAsync stops them and the server. Invariant: BaseAddress is valid from
// the moment StartAsync returns until disposal.
using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Operator.Emulator.Api;
using Operator.Emulator.Audit;
using Operator.Emulator.Authorization;
using Operator.Emulator.Controllers;
using Operator.Emulator.Discovery;
using Operator.Emulator.Faults;
using Operator.Emulator.Schema;
using Operator.Emulator.Storage;
using Operator.Emulator.Watch;

namespace Operator.Emulator.Hosting;

/// <summary>A Kubernetes API server emulator listening on 127.0.0.1 over plain HTTP.</summary>
public sealed class KubernetesEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> background = [];
    private readonly Lazy<SchemaRegistry> schemas;
    private readonly ILoggerFactory? ownedLoggerFactory;

    private KubernetesEmulator(EmulatorOptions options, WebApplication app, ResourceService service, FaultInjector faults, AuditLog audit,
        RequestAuthorization authorization, Lazy<SchemaRegistry> schemas, ILoggerFactory? ownedLoggerFactory)
    {
        Options = options;
        Authorization = authorization;
        this.app = app;
        Service = service;
        Faults = faults;
        Audit = audit;
        this.schemas = schemas;
        this.ownedLoggerFactory = ownedLoggerFactory;
    }

    public EmulatorOptions Options { get; }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FaultInjector Faults { get; }

    public AuditLog Audit { get; }

    /// <summary>Who may do what (per <see cref="EmulatorOptions.Authorization"/>), the users known and every decision made.</summary>
    public RequestAuthorization Authorization { get; }

    /// <summary>Schemas of built-in kinds and registered CRDs.</summary>
    public SchemaRegistry Schemas => schemas.Value;

    /// <summary>The API verbs without HTTP (writes made here are not audited).</summary>
    public ResourceService Service { get; }

    public ObjectStore Store => Service.Store;

    public static async Task<KubernetesEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ownedLoggerFactory = options.LoggerFactory is null
            ? LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(options.MinimumLogLevel))
            : null;
        var loggers = options.LoggerFactory ?? ownedLoggerFactory!;
        var time = options.Time;
        var schemas = new Lazy<SchemaRegistry>(SchemaRegistry.CreateBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);
        var enforced = options.EnforceSchemas ? schemas.Value : null;
        var store = new ObjectStore(options.WatchHistorySize);
        var catalog = new ResourceCatalog(BuiltInResources.All);
        var shapes = new BuiltInObjectShapes(new ClusterIpAllocator(options.ServiceClusterIpRange));
        var admission = new ObjectAdmission(enforced, time, shapes);
        var lifecycle = new CustomResourceLifecycle(store, catalog, enforced, loggers.CreateLogger<CustomResourceLifecycle>());
        var service = new ResourceService(store, catalog, admission, () => schemas.Value, lifecycle, time);
        var faults = new FaultInjector(store);
        var audit = new AuditLog();
        IAuthorizer authorizer = options.Authorization == AuthorizationMode.Rbac ? new RbacAuthorizer(store) : new AlwaysAllowAuthorizer();
        var authorization = new RequestAuthorization(new UserDirectory(), authorizer);
        var handler = new ApiRequestHandler(service, new WatchStreamer(store, faults, time, options.BookmarkInterval), faults, audit, authorization, time,
            loggers.CreateLogger<ApiRequestHandler>());

        foreach (var name in options.InitialNamespaces)
        {
            var namespaces = catalog.Find("", "v1", "namespaces")!;
            service.Create(namespaces, string.Empty, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } },
                new WriteRequest("emulator"));
            DefaultNamespaceObjects.CreateServiceAccount(service, catalog, name);
        }

        var bootstrap = new WriteRequest("kube-apiserver");
        if (options.InitialNamespaces.Contains("default"))
        {
            DefaultNamespaceObjects.Create(service, catalog, shapes.ClusterIps, bootstrap);
        }

        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            service.Create(catalog.Find(BuiltInResources.RbacGroup, "v1", "clusterroles")!, string.Empty, role, bootstrap);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            service.Create(catalog.Find(BuiltInResources.RbacGroup, "v1", "clusterrolebindings")!, string.Empty, binding, bootstrap);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.AllowSynchronousIO = false;
        });
        var app = builder.Build();
        var emulator = new KubernetesEmulator(options, app, service, faults, audit, authorization, schemas, ownedLoggerFactory);
        var router = new EmulatorRouter(catalog, new DiscoveryDocuments(catalog), new OpenApiDocuments(catalog, new OpenApiSchemas(type => CustomResourceDefinitionReader.SchemaOf(store.Snapshot, type), () => schemas.Value)), handler, new ControlEndpoints(faults, audit), authorization,
            () => emulator.BaseAddress.Authority);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");

        var collector = new GarbageCollector(service, loggers.CreateLogger<GarbageCollector>());
        emulator.background.Add(Task.Run(() => collector.RunAsync(emulator.stopping.Token), CancellationToken.None));
        if (options.DeploymentControllerDelay is { } delay)
        {
            var deployments = new DeploymentController(service, delay, time, loggers.CreateLogger<DeploymentController>());
            emulator.background.Add(Task.Run(() => deployments.RunAsync(emulator.stopping.Token), CancellationToken.None));
        }

        loggers.CreateLogger<KubernetesEmulator>().LogInformation("Kubernetes API emulator listening on {Address}", emulator.BaseAddress);
        return emulator;
    }

    /// <summary>
    /// Writes a kubeconfig for <paramref name="user"/> (whose bearer token is its name) in <paramref name="groups"/>,
    /// which the emulator remembers for the user's requests. Without groups, a user named "admin" is in
    /// system:masters (as the admin credentials of kind or k3s are), any other user only in the groups every
    /// authenticated user (or service account) has.
    /// </summary>
    public void WriteKubeconfig(string path, string user = "admin", IReadOnlyList<string>? groups = null)
    {
        groups ??= user == "admin" ? [UserInfo.MastersGroup] : [];
        Authorization.Users.Register(user, groups);
        File.WriteAllText(path, KubeconfigWriter.Render(BaseAddress, user, groups));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        Faults.CloseAllWatches();
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(background).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        ownedLoggerFactory?.Dispose();
        stopping.Dispose();
    }
}
