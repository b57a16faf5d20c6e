namespace Operator.Runtime.Hosting;

/// <summary>Registered in DI by the domain: builds its module from the shared services.</summary>
public delegate IControllerModule ControllerModuleFactory(IServiceProvider services);
