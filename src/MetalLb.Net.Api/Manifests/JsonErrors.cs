using System.Text.Json;
using System.Text.RegularExpressions;

namespace MetalLb.Net.Api.Manifests;

/// <summary>Turns System.Text.Json's messages into what a manifest author needs to read.</summary>
internal static partial class JsonErrors
{
    [GeneratedRegex("could not be converted to ([^ .]+(?:\\.[^ .]+)*)")]
    private static partial Regex Target();

    [GeneratedRegex("property '([^']+)' could not be mapped")]
    private static partial Regex Unmapped();

    public static string Describe(JsonException e)
    {
        string field = Field(e.Path);
        var unmapped = Unmapped().Match(e.Message);
        if (unmapped.Success)
            return $"unknown field \"{Join(field, unmapped.Groups[1].Value)}\" (check the spelling; field names are case-sensitive)";
        var target = Target().Match(e.Message);
        if (target.Success)
            return $"{field}: expected {Expected(target.Groups[1].Value)}";
        return $"{field}: {e.Message}";
    }

    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "(document)" : path.TrimStart('$').TrimStart('.');

    // System.Text.Json's path sometimes already ends with the unknown property.
    private static string Join(string field, string name) =>
        field == "(document)" ? name : field == name || field.EndsWith("." + name, StringComparison.Ordinal) ? field : $"{field}.{name}";

    private static string Expected(string clrType) => clrType switch
    {
        _ when clrType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "a list",
        _ when clrType.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "a map of strings",
        _ when clrType.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when clrType.Contains("UInt32", StringComparison.Ordinal) => "a whole number from 0 to 4294967295",
        _ when clrType.Contains("Int32", StringComparison.Ordinal) || clrType.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when clrType.Contains("String", StringComparison.Ordinal) => "a string (quote values such as \"yes\", \"1\" or \"on\")",
        _ when clrType.Contains("DateTimeOffset", StringComparison.Ordinal) => "an RFC 3339 timestamp",
        _ => "an object (a mapping of fields)",
    };
}
