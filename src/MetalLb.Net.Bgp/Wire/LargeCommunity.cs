using System.Globalization;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>A BGP Large Community (RFC 8092 §3), written "global:local1:local2".</summary>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public static LargeCommunity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = text.Split(':');
        if (p.Length != 3)
            throw new FormatException($"large community '{text}' is not global:local1:local2");
        return new(uint.Parse(p[0], CultureInfo.InvariantCulture), uint.Parse(p[1], CultureInfo.InvariantCulture),
            uint.Parse(p[2], CultureInfo.InvariantCulture));
    }

    public override string ToString() => $"{GlobalAdministrator}:{LocalData1}:{LocalData2}";
}
