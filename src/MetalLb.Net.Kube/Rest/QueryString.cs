using System.Globalization;
using System.Text;

namespace MetalLb.Net.Kube.Rest;

/// <summary>Turns <see cref="ListOptions"/> into the query string of a list or watch request.</summary>
internal static class QueryString
{
    public static string For(ListOptions? options, bool watch)
    {
        var query = new StringBuilder();
        void Add(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
                return;
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        if (watch)
            Add("watch", "true");
        if (options is not null)
        {
            Add("labelSelector", options.LabelSelector);
            Add("fieldSelector", options.FieldSelector);
            Add("resourceVersion", options.ResourceVersion);
            if (watch)
            {
                Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null);
                Add("timeoutSeconds", options.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                Add("limit", options.Limit?.ToString(CultureInfo.InvariantCulture));
                Add("continue", options.Continue);
            }
        }
        return query.ToString();
    }
}
