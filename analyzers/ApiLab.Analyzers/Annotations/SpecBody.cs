using System;
using System.Collections.Immutable;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// One body the call-site rules analyse: its operation blocks, owner, options and report sink. Rules register through
/// <see cref="Register"/>, a code-block action (syntax only) rather than an operation-block action: the driver builds
/// an operation tree for every body an operation-block action is registered on, which costs a build as much as binding
/// it again. Here a body gets its tree only if one of its invocations names a spec member (<see cref="SpecMemberNames"/>,
/// found by <see cref="SpecCallSites"/>). The rules of a build share one instance per body (<c>CallSiteAnalyzer</c>), so
/// what one rule works out about the body (its spec calls, its graphs) is kept here for the next.
/// </summary>
internal sealed class SpecBody
{
    private readonly Action<Diagnostic> _report;
    private readonly Func<IOperation, ControlFlowGraph>? _driverGraph;
    private Dictionary<IOperation, ControlFlowGraph>? _graphs;
    private BodyCalls?[]? _calls;

    private SpecBody(ImmutableArray<IOperation> blocks, ISymbol owningSymbol, AnalyzerOptions options, Action<Diagnostic> report,
        CancellationToken cancellationToken, Func<IOperation, ControlFlowGraph>? driverGraph = null)
    {
        _driverGraph = driverGraph;
        OperationBlocks = blocks;
        OwningSymbol = owningSymbol;
        Options = options;
        _report = report;
        CancellationToken = cancellationToken;
    }

    public ImmutableArray<IOperation> OperationBlocks { get; }

    public ISymbol OwningSymbol { get; }

    public AnalyzerOptions Options { get; }

    public CancellationToken CancellationToken { get; }

    public void ReportDiagnostic(Diagnostic diagnostic) => _report(diagnostic);

    /// <summary>The control flow graph of a block's root, built once for every rule (as the driver's own
    /// GetControlFlowGraph is).</summary>
    public ControlFlowGraph GetControlFlowGraph(IOperation block)
    {
        if (_driverGraph is not null)
        {
            // The driver's cache, shared with every other analyzer in the build.
            return _driverGraph(block);
        }

        var root = Flow.OperationOrder.RootOf(block);
        _graphs ??= new Dictionary<IOperation, ControlFlowGraph>();
        if (!_graphs.TryGetValue(root, out var graph))
        {
            graph = Create(root, CancellationToken);
            _graphs.Add(root, graph);
        }

        return graph;
    }

    /// <summary>The spec calls of the <paramref name="index"/>th operation block, listed once for every rule.</summary>
    public BodyCalls CallsIn(int index, SpecAnnotations spec)
    {
        _calls ??= new BodyCalls?[OperationBlocks.Length];
        return _calls[index] ??= BodyCalls.Collect(OperationBlocks[index], spec);
    }

    /// <summary>
    /// Registers a rule for every body that may call a spec member. <paramref name="createRule"/> makes the rule's
    /// analysis from the compilation's annotations, or returns null when the rule has nothing to check in it (no
    /// <c>[Handle]</c> type, say). It runs when the first body needs it, not at compilation start: nothing here makes a
    /// symbol before the compiler has (<see cref="SpecMemberNames"/> says why).
    /// </summary>
    public static void Register(CompilationStartAnalysisContext context, Func<SpecAnnotations, Action<SpecBody>?> createRule)
    {
        var compilation = context.Compilation;
        var names = SpecMemberNames.For(compilation);
        if (names.Count == 0)
        {
            return;
        }

        var rule = new Lazy<Action<SpecBody>?>(() => SpecAnnotations.For(compilation) is { } spec ? createRule(spec) : null);
        var sites = SpecCallSites.For(compilation, names);
        if (!sites.PrefilterPays)
        {
            context.RegisterOperationBlockAction(block =>
            {
                if (rule.Value is { } analyze)
                {
                    analyze(new SpecBody(
                        block.OperationBlocks, block.OwningSymbol, block.Options, block.ReportDiagnostic, block.CancellationToken,
                        block.GetControlFlowGraph));
                }
            });
            return;
        }

        context.RegisterCodeBlockAction(block =>
        {
            if (!sites.AnyWithin(block.CodeBlock) || rule.Value is not { } analyze)
            {
                return;
            }

            var operations = OperationsOf(block.SemanticModel, block.CodeBlock, block.CancellationToken);
            if (!operations.IsEmpty)
            {
                analyze(new SpecBody(operations, block.OwningSymbol, block.Options, block.ReportDiagnostic, block.CancellationToken));
            }
        });
    }

    /// <summary>
    /// The operations of a code block's executable parts (a body or expression body, a constructor initializer, an
    /// initializer), asked for by the same syntax nodes the driver asks for when it builds operation blocks: the
    /// semantic model caches operations by node, so a build whose other analyzers already built a body's tree shares it
    /// instead of building a second one. Top-level statements are the compilation unit's own operation.
    /// </summary>
    private static ImmutableArray<IOperation> OperationsOf(SemanticModel model, SyntaxNode codeBlock, CancellationToken cancellationToken)
    {
        if (codeBlock is CompilationUnitSyntax || IsExecutablePart(codeBlock))
        {
            return model.GetOperation(codeBlock, cancellationToken) is { } operation ? ImmutableArray.Create(operation) : ImmutableArray<IOperation>.Empty;
        }

        // Never into another member (a type's code block is its attributes' arguments: constants, no calls).
        var builder = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var node in codeBlock.DescendantNodes(n => n == codeBlock
            || (!IsExecutablePart(n) && n is not MemberDeclarationSyntax and not AttributeListSyntax)))
        {
            if (IsExecutablePart(node) && model.GetOperation(node, cancellationToken) is { } part)
            {
                builder.Add(part);
            }
        }

        return builder.ToImmutable();
    }

    private static bool IsExecutablePart(SyntaxNode node) =>
        node is BlockSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax or ConstructorInitializerSyntax;

    private static ControlFlowGraph Create(IOperation root, CancellationToken cancellationToken) => root switch
    {
        IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IBlockOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        IParameterInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        _ => throw new ArgumentException($"no control flow graph for a {root.Kind} root", nameof(root)),
    };
}
