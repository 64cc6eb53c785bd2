using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>
/// A forward, intraprocedural taint analysis over one body's control flow graph. Results of <c>[Snapshot]</c> calls
/// are the sources; values flow through locals, parameters and flow captures (which is how the CFG lowers
/// conditionals, <c>??</c>, collection initializers and foreach); at every join the per-variable
/// <see cref="Derivation"/> records whether all paths or only some carry snapshot data. The sinks are
/// <c>[TargetRange]</c> arguments, judged against the callee's <c>[Revalidates]</c> arguments.
/// Lambdas and local functions get their own graphs, seeded from the enclosing state (see
/// <see cref="AnalyzeNestedGraphs"/>).
/// </summary>
internal sealed partial class SnapshotTaintAnalysis
{
    /// <summary>A guard against pathological graphs: the lattice is finite, so this only bounds the constant.</summary>
    private const int MaxVisitsPerBlock = 64;

    private readonly SpecAnnotations _spec;
    private readonly CancellationToken _cancellationToken;
    private readonly ImmutableArray<RangeFinding>.Builder _findings = ImmutableArray.CreateBuilder<RangeFinding>();
    private readonly HashSet<SyntaxNode> _judged = new();

    private SnapshotTaintAnalysis(SpecAnnotations spec, CancellationToken cancellationToken)
    {
        _spec = spec;
        _cancellationToken = cancellationToken;
    }

    public static ImmutableArray<RangeFinding> Run(
        ControlFlowGraph graph,
        ImmutableArray<IParameterSymbol> parameters,
        SpecAnnotations spec,
        CancellationToken cancellationToken)
    {
        var analysis = new SnapshotTaintAnalysis(spec, cancellationToken);
        var entry = new TaintState();
        foreach (var parameter in parameters)
        {
            entry.Set(parameter, Taint.Clean);
        }

        analysis.AnalyzeGraph(graph, entry);
        return analysis._findings.ToImmutable();
    }

    private void AnalyzeGraph(ControlFlowGraph graph, TaintState entry)
    {
        var context = new GraphContext(graph);
        var blocks = graph.Blocks;
        var inStates = new TaintState?[blocks.Length];
        var outStates = new TaintState?[blocks.Length];
        inStates[0] = entry;
        Solve(context, inStates, outStates);

        // The fixpoint states are final: walk each block once more, now judging sinks and recording lambda contexts.
        foreach (var block in blocks)
        {
            if (inStates[block.Ordinal] is { } state)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                new Walker(this, context, state.Clone(), report: true).Walk(block);
            }
        }

        AnalyzeNestedGraphs(context, inStates);
    }

    private void Solve(GraphContext context, TaintState?[] inStates, TaintState?[] outStates)
    {
        var blocks = context.Graph.Blocks;
        var visits = new int[blocks.Length];
        var queued = new bool[blocks.Length];
        var worklist = new Queue<int>();
        Enqueue(0);

        do
        {
            while (worklist.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.Dequeue();
                queued[ordinal] = false;
                if (++visits[ordinal] > MaxVisitsPerBlock)
                {
                    continue;
                }

                var block = blocks[ordinal];
                var state = inStates[ordinal]!.Clone();
                new Walker(this, context, state, report: false).Walk(block);
                outStates[ordinal] = state;
                Propagate(block.FallThroughSuccessor, state);
                Propagate(block.ConditionalSuccessor, state);
            }
        }
        while (SeedExceptionHandlers(context.Graph, inStates, outStates, Enqueue));

        void Propagate(ControlFlowBranch? branch, TaintState state)
        {
            if (branch?.Destination is not { } destination)
            {
                return;
            }

            var target = inStates[destination.Ordinal];
            if (target is null)
            {
                inStates[destination.Ordinal] = state.Clone();
                Enqueue(destination.Ordinal);
            }
            else if (target.JoinWith(state))
            {
                Enqueue(destination.Ordinal);
            }
        }

        void Enqueue(int ordinal)
        {
            if (!queued[ordinal])
            {
                queued[ordinal] = true;
                worklist.Enqueue(ordinal);
            }
        }
    }

    /// <summary>
    /// Catch, filter and finally blocks have no ordinary predecessor in the CFG: control reaches them from anywhere in
    /// the try. Seed each with the join of every state seen in its try region. (Assignments made in a finally do not
    /// flow on past it: the branch that leaves the try goes straight to its destination.)
    /// </summary>
    private static bool SeedExceptionHandlers(
        ControlFlowGraph graph,
        TaintState?[] inStates,
        TaintState?[] outStates,
        System.Action<int> enqueue)
    {
        var seeded = false;
        foreach (var block in graph.Blocks)
        {
            if (!block.IsReachable || inStates[block.Ordinal] is not null || block.Kind != BasicBlockKind.Block
                || TryRegions.HandledBy(block) is not { } tryRegion)
            {
                continue;
            }

            TaintState? seed = null;
            for (var ordinal = tryRegion.FirstBlockOrdinal; ordinal <= tryRegion.LastBlockOrdinal; ordinal++)
            {
                foreach (var state in new[] { inStates[ordinal], outStates[ordinal] })
                {
                    if (state is not null)
                    {
                        if (seed is null)
                        {
                            seed = state.Clone();
                        }
                        else
                        {
                            seed.JoinWith(state);
                        }
                    }
                }
            }

            if (seed is not null)
            {
                inStates[block.Ordinal] = seed;
                enqueue(block.Ordinal);
                seeded = true;
            }
        }

        return seeded;
    }

    /// <summary>
    /// A lambda starts from the enclosing state where it is created (a close approximation of where it runs), with its
    /// parameters tainted by whatever else the consuming call received (<c>snapshot.Vmas.Select(v => ...)</c>).
    /// A local function may be called from anywhere: it starts from the join of every state in the enclosing body.
    /// </summary>
    private void AnalyzeNestedGraphs(GraphContext context, TaintState?[] inStates)
    {
        foreach (var pair in context.Lambdas)
        {
            var lambda = pair.Key;
            var entry = pair.Value.CapturedState.Clone();
            foreach (var parameter in lambda.Symbol.Parameters)
            {
                entry.Set(parameter, pair.Value.ParameterTaint ?? Taint.Clean);
            }

            AnalyzeGraph(context.Graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken), entry);
        }

        if (context.Graph.LocalFunctions.IsEmpty)
        {
            return;
        }

        var anywhere = new TaintState();
        foreach (var state in inStates)
        {
            if (state is not null)
            {
                anywhere.JoinWith(state);
            }
        }

        foreach (var localFunction in context.Graph.LocalFunctions)
        {
            var entry = anywhere.Clone();
            foreach (var parameter in localFunction.Parameters)
            {
                entry.Set(parameter, Taint.Clean);
            }

            AnalyzeGraph(context.Graph.GetLocalFunctionControlFlowGraph(localFunction, _cancellationToken), entry);
        }
    }

    /// <summary>Per-graph facts gathered while walking it.</summary>
    private sealed class GraphContext
    {
        public GraphContext(ControlFlowGraph graph)
        {
            Graph = graph;
        }

        public ControlFlowGraph Graph { get; }

        /// <summary>Captures of a local or parameter: storing into the capture's object stores into the variable's.</summary>
        public Dictionary<CaptureId, HashSet<ISymbol>> CaptureAliases { get; } = new();

        /// <summary>Captures holding a lambda, so a call that receives the capture can seed the lambda's parameters.</summary>
        public Dictionary<CaptureId, IFlowAnonymousFunctionOperation> CaptureLambdas { get; } = new();

        /// <summary>Outer variables each lambda reads, computed once.</summary>
        public Dictionary<IFlowAnonymousFunctionOperation, ImmutableArray<ISymbol>> LambdaReads { get; } = new();

        /// <summary>Recorded during the reporting walk only, when states are final.</summary>
        public Dictionary<IFlowAnonymousFunctionOperation, LambdaContext> Lambdas { get; } = new();
    }

    private sealed class LambdaContext
    {
        public LambdaContext(TaintState capturedState)
        {
            CapturedState = capturedState;
        }

        public TaintState CapturedState { get; }

        public Taint? ParameterTaint { get; set; }
    }
}
