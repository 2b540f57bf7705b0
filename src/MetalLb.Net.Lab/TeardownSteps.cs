namespace MetalLb.Net.Lab;

/// <summary>
/// The steps of a lab's teardown: each runs even when one before it failed, because namespaces
/// and processes must go whatever else went wrong; the failures are kept, each with what was
/// being done, for one line at the end. Used by the `lab` daemon and the test ClusterLab alike.
/// </summary>
public sealed class TeardownSteps
{
    private readonly List<string> _errors = [];

    /// <summary>What failed, as "step: message", in order.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public async Task Try(string what, Func<Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            await step();
        }
        catch (Exception e)
        {
            _errors.Add($"{what}: {e.Message}");
        }
    }

    public Task Do(string what, Action step) => Try(what, () =>
    {
        step();
        return Task.CompletedTask;
    });

    /// <summary>"teardown: " and the failures, or null when every step succeeded.</summary>
    public string? Failures => _errors.Count == 0 ? null : "teardown: " + string.Join("; ", _errors);
}
