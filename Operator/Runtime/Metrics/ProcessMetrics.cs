using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime;

namespace Operator.Runtime.Metrics;

/// <summary>
/// The process and .NET runtime figures, on the meter <see cref="MeterName"/>, under the names Prometheus's own
/// clients use for a process (<c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>,
/// <c>process_start_time_seconds</c>, ...) and <c>dotnet_*</c> names that follow the same conventions: counters end in
/// <c>_total</c>, gauges never do, and every name carries its base unit. The runtime's own meter
/// (<c>System.Runtime</c>) is not exported: its OpenTelemetry names (<c>dotnet.gc.collections</c>, a counter without
/// <c>_total</c>; <c>dotnet.thread_pool.thread.count</c>, a gauge published as a counter) break those conventions.
/// All values are read when a scrape collects them.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    public const string MeterName = "celery_operator.process";

    private static readonly string[] GenerationNames = ["gen0", "gen1", "gen2", "loh", "poh"];

    private readonly Meter meter;
    private readonly double startTimeSeconds;
    private long exceptions;

    public ProcessMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        using (var process = Process.GetCurrentProcess())
        {
            startTimeSeconds = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        }

        AppDomain.CurrentDomain.FirstChanceException += CountException;

        meter.CreateObservableCounter("process_cpu_seconds_total", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, "By", "Resident memory size in bytes.");
        meter.CreateObservableGauge("process_virtual_memory_bytes", VirtualMemoryBytes, "By", "Virtual memory size in bytes.");
        meter.CreateObservableGauge("process_start_time_seconds", () => startTimeSeconds, "s", "Start time of the process since unix epoch in seconds.");
        meter.CreateObservableGauge("process_open_fds", OpenFileDescriptors, description: "Number of open file descriptors (Linux only).");

        meter.CreateObservableGauge("dotnet_processors", () => Environment.ProcessorCount, description: "Processors the runtime may use (the container's CPU limit, rounded up).");
        meter.CreateObservableCounter("dotnet_gc_collections_total", GcCollections, description: "Garbage collections since the process started, by generation collected.");
        meter.CreateObservableCounter("dotnet_gc_allocated_bytes_total", () => GC.GetTotalAllocatedBytes(), "By", "Bytes allocated on the managed heap since the process started.");
        meter.CreateObservableCounter("dotnet_gc_pause_seconds_total", () => GC.GetTotalPauseDuration().TotalSeconds, "s", "Time the runtime was paused for garbage collections.");
        meter.CreateObservableGauge("dotnet_gc_last_collection_heap_size_bytes", GcHeapSizes, "By", "Managed heap size after the last garbage collection, by generation.");
        meter.CreateObservableGauge("dotnet_gc_heap_committed_bytes", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By", "Memory committed by the garbage collector for the managed heap.");
        meter.CreateObservableGauge("dotnet_gc_heap_limit_bytes", () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "By", "Memory the garbage collector may use (the container's memory limit or GCHeapHardLimit).");
        meter.CreateObservableGauge("dotnet_gc_server", () => GCSettings.IsServerGC ? 1 : 0, description: "1 when server garbage collection is on, 0 for workstation.");

        meter.CreateObservableGauge("dotnet_thread_pool_threads", () => ThreadPool.ThreadCount, description: "Thread-pool threads that currently exist.");
        meter.CreateObservableGauge("dotnet_thread_pool_queued_work_items", () => ThreadPool.PendingWorkItemCount, description: "Work items queued to the thread pool and not yet started.");
        meter.CreateObservableCounter("dotnet_thread_pool_completed_work_items_total", () => ThreadPool.CompletedWorkItemCount, description: "Work items the thread pool has completed.");
        meter.CreateObservableCounter("dotnet_monitor_lock_contentions_total", () => Monitor.LockContentionCount, description: "Times a thread waited for a lock held by another.");
        meter.CreateObservableGauge("dotnet_timers", () => Timer.ActiveCount, description: "Timers currently active.");
        meter.CreateObservableCounter("dotnet_exceptions_total", () => Interlocked.Read(ref exceptions), description: "Exceptions thrown, handled or not.");
        meter.CreateObservableCounter("dotnet_jit_compiled_methods_total", () => System.Runtime.JitInfo.GetCompiledMethodCount(), description: "Methods compiled by the JIT.");
        meter.CreateObservableCounter("dotnet_jit_compilation_seconds_total", () => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds, "s", "Time the JIT spent compiling.");
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= CountException;
        meter.Dispose();
    }

    private void CountException(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref exceptions);

    private static IEnumerable<Measurement<long>> GcCollections() =>
        [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => new Measurement<long>(
            // CollectionCount(g) counts collections of g and older generations; report each generation's own.
            GC.CollectionCount(g) - (g < GC.MaxGeneration ? GC.CollectionCount(g + 1) : 0),
            new KeyValuePair<string, object?>("generation", GenerationNames[g])))];

    private static IEnumerable<Measurement<long>> GcHeapSizes()
    {
        var generations = GC.GetGCMemoryInfo().GenerationInfo;
        var sizes = new List<Measurement<long>>(GenerationNames.Length);
        for (var g = 0; g < Math.Min(generations.Length, GenerationNames.Length); g++)
        {
            sizes.Add(new Measurement<long>(generations[g].SizeAfterBytes, new KeyValuePair<string, object?>("generation", GenerationNames[g])));
        }

        return sizes;
    }

    private static long VirtualMemoryBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.VirtualMemorySize64;
    }

    private static IEnumerable<Measurement<int>> OpenFileDescriptors()
    {
        const string Descriptors = "/proc/self/fd";
        return Directory.Exists(Descriptors) ? [new Measurement<int>(Directory.EnumerateFileSystemEntries(Descriptors).Count())] : [];
    }
}
