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
/// it again. Here a body gets its tree only if one of its invocations names a spec member (<see cref="SpecMemberNames"/>).
/// </summary>
internal sealed class SpecBody
{
    private static readonly ConditionalWeakTable<IOperation, ControlFlowGraph> Graphs = new();

    // Whether a code block names a spec member, per compilation (a syntax tree outlives a compilation in the IDE, and
    // the next one may declare other specs): one syntax walk per block for all the rules.
    private static readonly ConditionalWeakTable<Compilation, ConditionalWeakTable<SyntaxNode, object>> Candidates = new();
    private static readonly object Yes = new();
    private static readonly object No = new();

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

        if (!PrefilterPays(context.Compilation, names))
        {
            context.RegisterOperationBlockAction(block => analyze(new SpecBody(
                block.OperationBlocks, block.OwningSymbol, block.Options, block.ReportDiagnostic, block.CancellationToken,
                block.GetControlFlowGraph)));
            return;
        }

        var candidates = Candidates.GetValue(context.Compilation, static _ => new ConditionalWeakTable<SyntaxNode, object>());
        context.RegisterCodeBlockAction(block =>
        {
            if (candidates.GetValue(block.CodeBlock, node => NamesAny(node, names) ? Yes : No) == No)
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
    /// Whether the syntax prefilter pays in this compilation: when few bodies name a spec member (ordinary code), not
    /// building the others' operation trees is the big saving; when a quarter or more do, the driver's operation blocks,
    /// which a build's other analyzers share, cost less than asking the semantic model body by body. One syntax pass
    /// over the compilation, once.
    /// </summary>
    private static bool PrefilterPays(Compilation compilation, ImmutableHashSet<string> names) =>
        Prefilters.GetValue(compilation, c => new Lazy<bool>(() => CandidateShareIsSmall(c, names))).Value;

    // Lazy: the rules start on several threads at once, and the table would run the scan for each of them.
    private static readonly ConditionalWeakTable<Compilation, Lazy<bool>> Prefilters = new();

    private static bool CandidateShareIsSmall(Compilation compilation, ImmutableHashSet<string> names)
    {
        var bodies = 0;
        var calling = new System.Collections.Generic.HashSet<SyntaxNode>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
                    or AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null })
                {
                    bodies++;
                }
                else if (node is InvocationExpressionSyntax invocation && InvokedName(invocation.Expression) is { } name && names.Contains(name)
                    && invocation.FirstAncestorOrSelf<SyntaxNode>(static n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax) is { } body)
                {
                    calling.Add(body);
                }
            }
        }

        return calling.Count * 4 < bodies;
    }

    /// <summary>Whether any invocation in the block calls something by one of <paramref name="names"/>.</summary>
    private static bool NamesAny(SyntaxNode codeBlock, ImmutableHashSet<string> names)
    {
        foreach (var node in codeBlock.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax invocation && InvokedName(invocation.Expression) is { } name && names.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    private static string? InvokedName(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

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
