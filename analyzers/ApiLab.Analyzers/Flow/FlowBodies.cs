using ApiLab.Analyzers.Annotations;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>The control flow graphs of one operation block, each root once.</summary>
internal static class FlowBodies
{
    /// <summary>
    /// Calls <paramref name="analyze"/> with the graph of every root of the block. A body can appear as several blocks
    /// (a method body's IBlockOperation under its IMethodBodyOperation), so each root is analysed once.
    /// </summary>
    public static void ForEachGraph(SpecBody context, Action<ControlFlowGraph, ImmutableArray<IParameterSymbol>, SyntaxTree> analyze)
    {
        var parameters = context.OwningSymbol is IMethodSymbol method ? method.Parameters : ImmutableArray<IParameterSymbol>.Empty;
        var roots = new HashSet<IOperation>();
        foreach (var block in context.OperationBlocks)
        {
            var root = OperationOrder.RootOf(block);
            if (!OperationOrder.IsGraphRoot(root) || !roots.Add(root))
            {
                continue;
            }

            analyze(context.GetControlFlowGraph(block), parameters, block.Syntax.SyntaxTree);
        }
    }

    /// <summary>Reads a boolean <c>.editorconfig</c> option for the tree (false when absent or malformed).</summary>
    public static bool ReadBoolOption(SpecBody context, SyntaxTree tree, string key) =>
        context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var value)
        && bool.TryParse(value, out var enabled)
        && enabled;
}
