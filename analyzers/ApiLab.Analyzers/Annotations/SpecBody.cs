using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
/// found by <see cref="SpecCallSites"/>).
/// </summary>
internal sealed class SpecBody
{
    private static readonly ConditionalWeakTable<IOperation, ControlFlowGraph> Graphs = new();

    private readonly Action<Diagnostic> _report;
    private readonly Func<IOperation, ControlFlowGraph>? _driverGraph;

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

    /// <summary>The control flow graph of a block's root, built once and shared by every rule (as the driver's own
    /// GetControlFlowGraph is).</summary>
    public ControlFlowGraph GetControlFlowGraph(IOperation block)
    {
        if (_driverGraph is not null)
        {
            // The driver's cache, shared with every other analyzer in the build.
            return _driverGraph(block);
        }

        var root = Flow.OperationOrder.RootOf(block);
        return Graphs.GetValue(root, r => Create(r, CancellationToken));
    }

    /// <summary>Registers <paramref name="analyze"/> for every body that may call a spec member.</summary>
    public static void Register(CompilationStartAnalysisContext context, SpecAnnotations spec, Action<SpecBody> analyze)
    {
        var names = SpecMemberNames.For(context.Compilation, spec);
        if (names.Count == 0)
        {
            return;
        }

        var sites = SpecCallSites.For(context.Compilation, names, context.CancellationToken);
        if (!sites.PrefilterPays)
        {
            context.RegisterOperationBlockAction(block => analyze(new SpecBody(
                block.OperationBlocks, block.OwningSymbol, block.Options, block.ReportDiagnostic, block.CancellationToken,
                block.GetControlFlowGraph)));
            return;
        }

        context.RegisterCodeBlockAction(block =>
        {
            if (!sites.AnyWithin(block.CodeBlock))
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
