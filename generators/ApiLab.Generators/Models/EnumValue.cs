namespace ApiLab.Generators.Models;

/// <summary>
/// An enum value read from an attribute, kept as text: the <c>global::</c> type name, the member name when the
/// value has one, and the value itself (invariant culture) for values that name no member.
/// </summary>
internal readonly record struct EnumValue(string Type, string? Member, string Value)
{
    /// <summary>A default the attribute did not spell out, e.g. <c>PtraceMode.None</c> (0).</summary>
    public static EnumValue Default(string type, string member, int value) =>
        new(type, member, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
