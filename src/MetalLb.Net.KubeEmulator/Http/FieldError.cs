namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// One cause of a 422, shaped like the real server's field.Error: Field is the path
/// ("spec.autoAssign"), Reason the StatusCause reason ("FieldValueInvalid"), Detail the text
/// after the path ("Invalid value: \"maybe\": ...").
/// </summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public override string ToString() => $"{Field}: {Detail}";

    public static FieldError Required(string field) => new(field, "FieldValueRequired", "Required value");

    public static FieldError Invalid(string field, string valueJson, string why) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueJson}: {why}");

    public static FieldError NotSupported(string field, string valueJson, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {valueJson}: supported values: {string.Join(", ", supported)}");

    public static FieldError Immutable(string field, string valueJson) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueJson}: field is immutable");

    public static FieldError Forbidden(string field, string why) => new(field, "FieldValueForbidden", $"Forbidden: {why}");
}
