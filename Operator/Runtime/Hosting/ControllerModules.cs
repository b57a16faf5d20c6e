using Operator.Runtime.Source;

namespace Operator.Runtime.Hosting;

/// <summary>
/// The modules built from every registered <see cref="ControllerModuleFactory"/>, once, in registration order.
/// Invariants: module names are unique; <see cref="Informers"/> lists each informer once even when modules share it,
/// so the host never runs one informer twice.
/// </summary>
public sealed class ControllerModules
{
    public ControllerModules(IEnumerable<ControllerModuleFactory> factories, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(services);
        Modules = [.. factories.Select(factory => factory(services) ?? throw new InvalidOperationException("A controller module factory returned null."))];
        var duplicate = Modules.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two controller modules are named '{duplicate.Key}'.");
        }

        Informers = [.. Modules.SelectMany(m => m.Informers).Distinct(ReferenceEqualityComparer.Instance).Cast<IInformer>()];
    }

    public IReadOnlyList<IControllerModule> Modules { get; }

    public IReadOnlyList<IInformer> Informers { get; }

    /// <summary>The informers that have not completed their first list yet.</summary>
    public IEnumerable<IInformer> Unsynced => Informers.Where(i => !i.HasSynced);
}
