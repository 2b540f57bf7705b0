namespace MetalLb.Net.TestKit;

/// <summary>
/// The switches that make a test rewrite its expected files instead of comparing them
/// (UPDATE_GOLDEN, UPDATE_CRDS). Under CI=true they are refused: a test that writes its own
/// expectation cannot fail, and CI must compare against what was committed.
/// </summary>
public static class Regenerate
{
    /// <summary>True when <paramref name="variable"/> is "1"; throws under CI=true.</summary>
    public static bool Requested(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1")
            return false;
        if (Prerequisite.InCi)
            throw new InvalidOperationException($"{variable}=1 is refused under CI=true: CI compares against the committed files, it never rewrites them.");
        return true;
    }
}
