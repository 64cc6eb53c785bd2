using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>Helpers for walking a lowered CFG block the way it executes.</summary>
internal static class OperationOrder
{
    /// <summary>A block's operations, then its branch value.</summary>
    public static IEnumerable<IOperation> Roots(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is not null)
        {
            yield return block.BranchValue;
        }
    }

    /// <summary>The root of a body's operation tree (what <c>GetControlFlowGraph</c> builds the graph of).</summary>
    public static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    /// <summary>Roots <c>GetControlFlowGraph</c> accepts that can hold calls.</summary>
    public static bool IsGraphRoot(IOperation root) =>
        root is Microsoft.CodeAnalysis.Operations.IMethodBodyOperation or Microsoft.CodeAnalysis.Operations.IConstructorBodyOperation
            or Microsoft.CodeAnalysis.Operations.IBlockOperation or Microsoft.CodeAnalysis.Operations.IFieldInitializerOperation
            or Microsoft.CodeAnalysis.Operations.IPropertyInitializerOperation;

    /// <summary>Strips implicit and explicit conversions.</summary>
    public static IOperation SkipConversions(IOperation operation)
    {
        while (operation is Microsoft.CodeAnalysis.Operations.IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
