using System.Globalization;
using System.Text;
using MetalLb.Net.KubeEmulator.Selectors;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    private Task GetAsync(ApiRequest r)
    {
        var obj = Store.Get(r.Type.Key, r.Namespace, r.Name!) ?? throw ApiException.NotFound(r.Type, r.Name!);
        return WriteObjectAsync(r, 200, obj);
    }

    /// <summary>
    /// List with label/field selectors and limit/continue pagination. The continue token holds
    /// the list's resourceVersion and the last key returned; a token older than the kept
    /// history is refused with 410 Expired, as etcd compaction makes the real server do.
    /// </summary>
    private Task ListAsync(ApiRequest r)
    {
        var labels = LabelSelector.Parse(r.Query("labelSelector"));
        var fields = FieldSelector.Parse(r.Query("fieldSelector"));
        var (all, revision) = Store.List(r.Type.Key, r.Namespace);
        string? after = null;
        if (r.Query("continue") is { Length: > 0 } token)
        {
            (revision, after) = DecodeContinue(token);
            if (revision < Store.CompactedThrough)
                throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.");
        }
        int limit = int.TryParse(r.Query("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var items = new List<JsonObjectEntry>();
        int remaining = 0;
        foreach (var (key, obj) in all)
        {
            if (after is not null && string.CompareOrdinal(key, after) <= 0)
                continue;
            if (!labels.Matches(obj) || !fields.Matches(obj))
                continue;
            if (items.Count < limit)
                items.Add(new JsonObjectEntry(key, obj));
            else
                remaining++;
        }
        var next = remaining > 0 ? EncodeContinue(revision, items[^1].Key) : null;
        return WriteListAsync(r, items.ConvertAll(i => i.Object), revision, next, remaining);
    }

    private static string EncodeContinue(long revision, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{revision.ToString(CultureInfo.InvariantCulture)}|{lastKey}"));

    private static (long Revision, string After) DecodeContinue(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            int bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text[..bar], CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw ApiException.BadRequest("continue key is not valid: illegal base64 data");
        }
    }

    private readonly record struct JsonObjectEntry(string Key, System.Text.Json.Nodes.JsonObject Object);
}
