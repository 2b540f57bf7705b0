using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Core.Config;

/// <summary>BFDProfile objects (docs/upstream-controller.md §3.6): name, ranges of §2.6, unique names; defaults applied.</summary>
internal static class BfdProfileParser
{
    /// <summary>
    /// Returns the valid profiles. Every name seen goes into <paramref name="declared"/>, so a
    /// peer naming a broken profile is not also blamed for a missing one (R10).
    /// </summary>
    public static List<BfdProfileConfig> Parse(IReadOnlyList<BFDProfile> profiles, HashSet<string> declared, List<ConfigError> errors)
    {
        var result = new List<BfdProfileConfig>();
        foreach (var p in profiles)
        {
            string name = p.Metadata.Name ?? "";
            var problems = new List<string>();
            if (name.Length == 0)
                problems.Add("missing bfd profile name");
            else if (!declared.Add(name))
                problems.Add($"found duplicate bfd profile name {name}");
            var s = p.Spec;
            uint receive = Check(s.ReceiveInterval, 300, 10, 60000, "receiveInterval", problems);
            uint transmit = Check(s.TransmitInterval, 300, 10, 60000, "transmitInterval", problems);
            uint multiplier = Check(s.DetectMultiplier, 3, 2, 255, "detectMultiplier", problems);
            uint echo = Check(s.EchoInterval, 50, 10, 60000, "echoInterval", problems);
            uint ttl = Check(s.MinimumTtl, 254, 1, 254, "minimumTtl", problems);
            foreach (var problem in problems)
                errors.Add(new ConfigError(ConfigKinds.BFDProfile, name, problem));
            if (problems.Count == 0)
                result.Add(new BfdProfileConfig(name, receive, transmit, multiplier, echo, s.EchoMode ?? false, s.PassiveMode ?? false, ttl));
        }
        return result;
    }

    private static uint Check(uint? value, uint fallback, uint min, uint max, string field, List<string> problems)
    {
        if (value is not uint v) return fallback;
        if (v < min || v > max)
            problems.Add($"invalid {field} value {v}, must be in {min}-{max} range");
        return v;
    }
}
