using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

/// <summary>
/// Names a range argument by the variable path it reads (<c>ranges</c>, <c>region.Range</c>, <c>this.window</c>),
/// so that a later call on "the same range" can be recognised without evaluating addresses. A collection or array
/// built from such paths (<c>[range]</c>, <c>new[] { a, b }</c>) is named by its elements.
/// </summary>
internal static class RangeKeys
{
    /// <summary>The key of a whole-target freeze (a <c>[Freezes]</c> call that takes no range: it freezes all).</summary>
    public const string Everything = "*";

    /// <summary>The path of a value, or null when it is not a plain variable path.</summary>
    public static string? PathOf(IOperation operation)
    {
        var builder = new StringBuilder();
        return Append(builder, OperationOrder.SkipConversions(operation)) ? builder.ToString() : null;
    }

    /// <summary>The paths a range argument is made of: itself, or its elements. Empty when unnameable.</summary>
    public static ImmutableArray<string> ElementPathsOf(IOperation operation)
    {
        operation = OperationOrder.SkipConversions(operation);
        ImmutableArray<IOperation> elements;
        switch (operation)
        {
            case ICollectionExpressionOperation collection:
                elements = collection.Elements;
                break;
            case IArrayCreationOperation { Initializer: { } initializer }:
                elements = initializer.ElementValues;
                break;
            default:
                return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>(elements.Length);
        foreach (var element in elements)
        {
            if (PathOf(element) is not { } path)
            {
                return ImmutableArray<string>.Empty;
            }

            builder.Add(path);
        }

        return builder.MoveToImmutable();
    }

    /// <summary>The root variable of a path key (what an assignment to it invalidates).</summary>
    public static string RootOfPath(string path)
    {
        var dot = path.IndexOf('.');
        return dot < 0 ? path : path.Substring(0, dot);
    }

    /// <summary>The key of a local or parameter as the root of a path.</summary>
    public static string? RootKey(ISymbol symbol) => symbol switch
    {
        ILocalSymbol or IParameterSymbol => symbol.Name + "@" + DeclarationPosition(symbol),
        _ => null,
    };

    private static bool Append(StringBuilder builder, IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                builder.Append(RootKey(local.Local));
                return true;
            case IParameterReferenceOperation parameter:
                builder.Append(RootKey(parameter.Parameter));
                return true;
            case IInstanceReferenceOperation:
                builder.Append("this");
                return true;
            case IFieldReferenceOperation field:
                return AppendMember(builder, field.Instance, field.Field);
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                return AppendMember(builder, property.Instance, property.Property);
            default:
                return false;
        }
    }

    private static bool AppendMember(StringBuilder builder, IOperation? instance, ISymbol member)
    {
        if (instance is null)
        {
            builder.Append(member.ContainingType?.ToDisplayString() ?? "?");
        }
        else if (!Append(builder, OperationOrder.SkipConversions(instance)))
        {
            return false;
        }

        builder.Append('.').Append(member.Name);
        return true;
    }

    private static string DeclarationPosition(ISymbol symbol) =>
        symbol.Locations.Length > 0 ? symbol.Locations[0].SourceSpan.Start.ToString(CultureInfo.InvariantCulture) : "?";
}
