namespace MetalLb.Net.Controller.Bench;

/// <summary>1,000 Services created while the controller runs. Times in ms from the first create.</summary>
internal sealed record RunningResult(
    double CreatesMs, double AllocatedMs, double AnnotatedMs,
    double CpuStartup, double CpuToAllocated, double CpuSettled, double IdleCpuPerSecond, double PeakRssMiB, double HarnessCpu,
    IReadOnlyDictionary<string, int> Requests, IReadOnlyDictionary<string, (double FirstMs, double LastMs)> Timeline,
    int ControllerWarnings, string Verified);

/// <summary>The harness's own writes to fresh Services. Times in ms from the first write.</summary>
internal sealed record BaselineResult(string What, double CreatesMs, double WritesMs, double SeenMs, double HarnessCpu);

/// <summary>The controller started with 1,000 Services already there. Times in ms from Process.Start.</summary>
internal sealed record ColdResult(double SyncedMs, double AllocatedMs, double AnnotatedMs, double CpuToAllocated, double CpuSettled,
    double PeakRssMiB, string Verified);

internal sealed record RoundResult(int Round, DateTime At, string LoadBefore, string LoadAfter, RunningResult Running,
    IReadOnlyList<BaselineResult> Baselines, ColdResult Cold)
{
    public BaselineResult Baseline(string what) => Baselines.Single(b => b.What == what);
}
