namespace ApiLab.Generators.Models;

/// <summary>One parameter of a spec method.</summary>
/// <param name="Name">The identifier as C# needs it (keywords escaped with @).</param>
/// <param name="Type">The <c>global::</c>-qualified type, with nullable annotations.</param>
/// <param name="IsParams">Declared <c>params</c>.</param>
/// <param name="DefaultValue">The default value as a C# expression, or null.</param>
/// <param name="MustBeZero">Carries [MustBeZero].</param>
internal sealed record ParameterModel(string Name, string Type, bool IsParams, string? DefaultValue, bool MustBeZero);
