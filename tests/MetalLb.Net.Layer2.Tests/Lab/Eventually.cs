namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>Waits for a condition with a deadline; never a bare sleep standing in for synchronisation.</summary>
/// <remarks>Not TestKit's Eventually: the lab calls this from constructors and other synchronous code, and wants the last value back.</remarks>
internal static class Eventually
{
    public static T Until<T>(Func<T> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var value = probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{what} did not happen within {deadline}; last: {value}");
            Thread.Sleep(50); // poll interval, not synchronisation
        }
    }

    public static void Until(Func<bool> condition, TimeSpan deadline, string what) =>
        Until(condition, ok => ok, deadline, what);
}
