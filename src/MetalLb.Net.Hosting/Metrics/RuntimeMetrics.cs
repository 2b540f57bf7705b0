using System.Diagnostics.Metrics;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>
/// .NET runtime metrics under Prometheus-style names (the runtime's own System.Runtime meter
/// uses OpenTelemetry names such as dotnet.assembly.count, which promtool's linter rejects once
/// translated): garbage collections, heap and allocation, GC pauses, thread pool.
/// </summary>
public sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Runtime";

    private readonly Meter _meter;

    public RuntimeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("dotnet_gc_collections_total", Collections, description: "Garbage collections since the process started, per generation.");
        _meter.CreateObservableCounter("dotnet_gc_allocated_bytes_total", () => GC.GetTotalAllocatedBytes(), description: "Bytes allocated on the managed heap since the process started.");
        _meter.CreateObservableCounter("dotnet_gc_pause_seconds_total", () => GC.GetTotalPauseDuration().TotalSeconds, description: "Time the runtime was paused for garbage collection.");
        _meter.CreateObservableGauge("dotnet_gc_heap_size_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, description: "Managed heap size at the last garbage collection.");
        _meter.CreateObservableGauge("dotnet_total_memory_bytes", () => GC.GetTotalMemory(false), description: "Bytes currently thought to be allocated on the managed heap.");
        _meter.CreateObservableGauge("dotnet_threadpool_threads", () => ThreadPool.ThreadCount, description: "Thread pool threads.");
        _meter.CreateObservableGauge("dotnet_threadpool_queue_length", () => ThreadPool.PendingWorkItemCount, description: "Work items waiting for a thread pool thread.");
    }

    private static IEnumerable<Measurement<long>> Collections()
    {
        for (int gen = 0; gen <= GC.MaxGeneration; gen++)
            yield return new Measurement<long>(GC.CollectionCount(gen), new KeyValuePair<string, object?>("generation", gen.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => _meter.Dispose();
}
