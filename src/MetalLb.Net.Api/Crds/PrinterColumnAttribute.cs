namespace MetalLb.Net.Api.Crds;

/// <summary>
/// One additionalPrinterColumns entry: what <c>kubectl get</c> shows. Columns appear in the
/// order of <see cref="Order"/> (attribute order is not guaranteed by reflection).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;
    public string Name { get; } = name;

    /// <summary>OpenAPI type: string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    /// <summary>0 = always shown; higher values only with <c>kubectl get -o wide</c>.</summary>
    public int Priority { get; init; }
}
