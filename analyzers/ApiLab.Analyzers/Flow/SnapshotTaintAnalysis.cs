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
/// <see cref="AnalyzeNestedGraphs"/>). Each graph is solved by the shared <see cref="ForwardDataflow{TState}"/>.
/// </summary>
internal sealed partial class SnapshotTaintAnalysis
{
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
        // The shared solver; its reporting walk, from the final states, judges sinks and records lambda contexts.
        var flow = new GraphFlow(this, new GraphContext(graph));
        var inStates = flow.SolveFrom(entry);
        AnalyzeNestedGraphs(flow.Context, inStates);
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

    /// <summary>
    /// One graph's taint flow on the shared <see cref="ForwardDataflow{TState}"/> solver. A branch leaving a try does
    /// not run its finally here: assignments made in a finally do not flow on past it (see the README).
    /// </summary>
    private sealed class GraphFlow : ForwardDataflow<TaintState>
    {
        private readonly SnapshotTaintAnalysis _analysis;

        public GraphFlow(SnapshotTaintAnalysis analysis, GraphContext context)
        {
            _analysis = analysis;
            Context = context;
        }

        public GraphContext Context { get; }

        protected override bool RunsFinallyOnLeave => false;

        public TaintState?[] SolveFrom(TaintState entry) => Solve(Context.Graph, entry, _analysis._cancellationToken);

        protected override TaintState Clone(TaintState state) => state.Clone();

        protected override bool JoinInto(TaintState target, TaintState other) => target.JoinWith(other);

        protected override void Transfer(BasicBlock block, TaintState state, bool report) =>
            new Walker(_analysis, Context, state, report).Walk(block);
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
