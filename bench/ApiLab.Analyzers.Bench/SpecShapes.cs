using System.Reflection;
using ApiLab.Spec;

namespace ApiLab.Analyzers.Bench;

/// <summary>A [Proposal] interface as the client generator sees it: its members, in declaration order.</summary>
internal sealed record SpecShape(Type Interface, IReadOnlyList<MethodInfo> Members);

/// <summary>The real specs' shapes, read by reflection from the compiled proposals assembly (so new proposals are
/// picked up with no change here).</summary>
internal static class SpecShapes
{
    public static Assembly ProposalsAssembly { get; } = Assembly.Load("ApiLab.Proposals");

    public static IReadOnlyList<SpecShape> All { get; } =
        [.. ProposalsAssembly.GetTypes()
            .Where(static t => t.IsInterface && t.GetCustomAttribute<ProposalAttribute>() is not null)
            .OrderBy(static t => t.FullName, StringComparer.Ordinal)
            .Select(static t => new SpecShape(t, [.. t.GetMethods().OrderBy(static m => m.MetadataToken)]))];

    /// <summary>C# for a type, <c>global::</c>-qualified (generics, arrays, nested types).</summary>
    public static string CSharp(Type type)
    {
        if (type.IsByRef)
        {
            return CSharp(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return CSharp(type.GetElementType()!) + "[]";
        }

        var name = type.Namespace is { Length: > 0 } ns ? $"global::{ns}." : "global::";
        var nesting = new List<Type>();
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            nesting.Insert(0, t);
        }

        name += string.Join('.', nesting.Select(static t => t.Name.Split('`')[0]));
        return type.IsGenericType ? $"{name}<{string.Join(", ", type.GetGenericArguments().Select(CSharp))}>" : name;
    }

    /// <summary>T for a <c>SysResult&lt;T&gt;</c>, else null.</summary>
    public static Type? ResultValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SysResult<>) ? type.GetGenericArguments()[0] : null;
}
