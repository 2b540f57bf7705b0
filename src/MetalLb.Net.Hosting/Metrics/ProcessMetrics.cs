using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>
/// The standard process_* metrics every Prometheus client exposes (upstream's Go binaries do),
/// so the usual dashboards and alerts work: CPU seconds, resident and virtual memory, start
/// time, open file descriptors.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Process";

    private readonly Meter _meter;

    public ProcessMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("process_cpu_seconds_total",
            () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, description: "Total user and system CPU time spent in seconds.");
        _meter.CreateObservableGauge("process_resident_memory_bytes",
            () => Environment.WorkingSet, description: "Resident memory size in bytes.");
        _meter.CreateObservableGauge("process_virtual_memory_bytes",
            () => Process.GetCurrentProcess().VirtualMemorySize64, description: "Virtual memory size in bytes.");
        _meter.CreateObservableGauge("process_start_time_seconds",
            () => new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0,
            description: "Start time of the process since unix epoch in seconds.");
        _meter.CreateObservableGauge("process_open_fds", OpenFds, description: "Number of open file descriptors.");
    }

    private static IEnumerable<Measurement<long>> OpenFds()
    {
        // /proc is Linux-only; elsewhere the gauge simply reports nothing.
        if (Directory.Exists("/proc/self/fd"))
            yield return new Measurement<long>(Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount());
    }

    public void Dispose() => _meter.Dispose();
}
