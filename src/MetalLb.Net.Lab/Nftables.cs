namespace MetalLb.Net.Lab;

/// <summary>
/// nftables inside one lab namespace (the kernel here has no netem, so loss and partitions are
/// drop rules). Everything goes into one table, "lab", which Clear removes; the namespace's
/// deletion removes it too.
/// </summary>
public static class Nftables
{
    /// <summary>Runs an nft script (several commands separated by newlines) in <paramref name="ns"/>.</summary>
    public static void Apply(string ns, string script)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, script + "\n");
            var r = LabShell.Run(TimeSpan.FromSeconds(30), "ip", "netns", "exec", ns, LabShell.Which("nft") ?? "nft", "-f", file);
            if (r.ExitCode != 0)
                throw new InvalidOperationException($"nft in {ns} failed ({r.ExitCode}): {r.All}\nscript:\n{script}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Drops incoming packets matching <paramref name="match"/> (nft syntax, e.g. "udp dport 7946"
    /// or "ip saddr 192.0.2.11", or "numgen random mod 100 &lt; 30" for 30 % loss).
    /// </summary>
    public static void DropIncoming(string ns, string match) => Drop(ns, "input", match);

    public static void DropOutgoing(string ns, string match) => Drop(ns, "output", match);

    /// <summary>Removes every rule this class added in <paramref name="ns"/>.</summary>
    public static void Clear(string ns)
    {
        // Exit status ignored: a table that is not there is already cleared.
        LabShell.Run("ip", "netns", "exec", ns, LabShell.Which("nft") ?? "nft", "delete table inet lab");
    }

    /// <summary>`nft list ruleset` in <paramref name="ns"/>, for a failure message.</summary>
    public static string List(string ns) =>
        LabShell.Run("ip", "netns", "exec", ns, LabShell.Which("nft") ?? "nft", "list ruleset").All;

    private static void Drop(string ns, string hook, string match) => Apply(ns, $"""
        add table inet lab
        add chain inet lab {hook} {"{"} type filter hook {hook} priority 0; policy accept; {"}"}
        add rule inet lab {hook} {match} drop
        """);

    /// <summary>
    /// Creates (or replaces) table <paramref name="family"/> <paramref name="table"/> in
    /// <paramref name="ns"/> from <paramref name="body"/> (the table's chains and rules, nft's
    /// "table x y { ... }" syntax). A table of its own per purpose, so `lab soak` and `lab partition`
    /// remove exactly what they added and nothing of the kube-proxy stand-in's.
    /// </summary>
    public static void ReplaceTable(string ns, string family, string table, string body) => Apply(ns, $"""
        table {family} {table} {"{"} {"}"}
        delete table {family} {table}
        table {family} {table} {"{"}
        {body}
        {"}"}
        """);

    /// <summary>Deletes one table; false when it was not there (or the namespace is gone).</summary>
    public static bool DeleteTable(string ns, string family, string table) =>
        LabShell.Run("ip", "netns", "exec", ns, LabShell.Which("nft") ?? "nft", $"delete table {family} {table}").ExitCode == 0;

    /// <summary>
    /// The packet counters of a table's rules that carry a comment, by comment (summed when
    /// several rules share one); empty when the table is not there.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Counters(string ns, string family, string table)
    {
        var r = LabShell.Run("ip", "netns", "exec", ns, LabShell.Which("nft") ?? "nft", "-j", "list", "table", family, table);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        if (r.ExitCode != 0)
            return counters;
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule) || !rule.TryGetProperty("comment", out var comment))
                continue;
            long packets = rule.GetProperty("expr").EnumerateArray()
                .Where(e => e.TryGetProperty("counter", out _))
                .Sum(e => e.GetProperty("counter").GetProperty("packets").GetInt64());
            string key = comment.GetString() ?? "";
            counters[key] = counters.GetValueOrDefault(key) + packets;
        }
        return counters;
    }
}
