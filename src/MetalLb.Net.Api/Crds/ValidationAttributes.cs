// The OpenAPI validations a CRD schema carries. They are enforced by the API server before
// MetalLB sees an object; the Core validators repeat the ones that matter, because objects
// read from files (metallb-net plan) never pass an API server.
// Several tiny attributes share this file: each is one line of data, and reading them
// together shows the whole vocabulary.
namespace MetalLb.Net.Api.Crds;

/// <summary>The property must be present (listed in the parent's <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RequiredAttribute : Attribute;

/// <summary>Inclusive lower bound of an integer.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>Inclusive upper bound of an integer.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>The only values a string may take.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Smallest number of items in an array.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>Shortest allowed string.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>Longest allowed string.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>An ECMA-262 regular expression the string must match.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatternAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>
/// A CEL rule (x-kubernetes-validations). On a property <c>self</c> is the property's value;
/// on a class it is the object. <c>oldSelf</c> makes it a transition rule (immutability).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
}
