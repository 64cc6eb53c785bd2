using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>
/// The forward dataflow solver over one control flow graph, shared by every flow rule (APILAB1001, 1004, 1005, 1007):
/// a worklist to the fixpoint, then one reporting walk of every reachable block from its final in-state. Exception
/// handlers start from the join of their try region's states. A branch that leaves a try through finally regions
/// runs those regions (block by block, in order) on its way when <see cref="RunsFinallyOnLeave"/>, so a release in a
/// <c>finally</c> reaches the exit.
/// </summary>
/// <typeparam name="TState">The mutable abstract state at one program point.</typeparam>
internal abstract class ForwardDataflow<TState>
    where TState : class
{
    /// <summary>A guard against pathological graphs: every lattice here is finite, so this only bounds the constant.</summary>
    private const int MaxVisitsPerBlock = 64;

    /// <summary>Whether a branch out of a try runs the finally regions it leaves before reaching its destination.
    /// APILAB1001 does not: assignments made in a finally do not flow on past it (its README says so).</summary>
    protected virtual bool RunsFinallyOnLeave => true;

    protected abstract TState Clone(TState state);

    /// <summary>Joins another path's state into <paramref name="target"/>; true if it changed.</summary>
    protected abstract bool JoinInto(TState target, TState other);

    /// <summary>Applies one block's operations (and branch value) to the state; reports only when asked.</summary>
    protected abstract void Transfer(BasicBlock block, TState state, bool report);

    /// <summary>Solves the graph from <paramref name="entry"/>, walks it once more reporting, and returns the state
    /// at the exit block (null when the exit is unreachable, e.g. every path throws).</summary>
    public TState? Run(ControlFlowGraph graph, TState entry, CancellationToken cancellationToken)
    {
        var inStates = Solve(graph, entry, cancellationToken);
        return inStates[inStates.Length - 1];
    }

    /// <summary>As <see cref="Run"/>, returning every block's final in-state (null: unreachable), by ordinal.</summary>
    protected TState?[] Solve(ControlFlowGraph graph, TState entry, CancellationToken cancellationToken)
    {
        var blocks = graph.Blocks;
        var inStates = new TState?[blocks.Length];
        var outStates = new TState?[blocks.Length];
        var visits = new int[blocks.Length];
        var queued = new bool[blocks.Length];
        var worklist = new Queue<int>();

        // Reading a branch's FinallyRegions makes Roslyn compute the regions it leaves: only worth it if there are any.
        var runFinally = RunsFinallyOnLeave && HasFinally(graph.Root);

        // A block's out-state is kept only where a handler's seed reads it (inside a try); elsewhere the state a block
        // produced is handed to its last successor as is, instead of being copied.
        var inTry = BlocksInTry(graph);
        inStates[0] = entry;
        Enqueue(0);

        do
        {
            while (worklist.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.Dequeue();
                queued[ordinal] = false;
                if (++visits[ordinal] > MaxVisitsPerBlock)
                {
                    continue;
                }

                var block = blocks[ordinal];
                var state = Clone(inStates[ordinal]!);
                Transfer(block, state, report: false);
                var keep = inTry is not null && inTry[ordinal];
                outStates[ordinal] = keep ? state : null;
                if (block.ConditionalSuccessor is null)
                {
                    Propagate(block.FallThroughSuccessor, state, owned: !keep);
                }
                else
                {
                    Propagate(block.FallThroughSuccessor, state, owned: false);
                    Propagate(block.ConditionalSuccessor, state, owned: !keep);
                }
            }
        }
        while (SeedHandlers());

        foreach (var block in blocks)
        {
            if (inStates[block.Ordinal] is { } state)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Transfer(block, Clone(state), report: true);
            }
        }

        return inStates;

        // owned: nothing else refers to the state, so the destination may take it rather than a copy.
        void Propagate(ControlFlowBranch? branch, TState state, bool owned)
        {
            if (branch?.Destination is not { } destination)
            {
                return;
            }

            if (runFinally && !branch.FinallyRegions.IsEmpty)
            {
                state = Clone(state);
                owned = true;
                foreach (var region in branch.FinallyRegions)
                {
                    for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
                    {
                        Transfer(blocks[ordinal], state, report: false);
                    }
                }
            }

            var target = inStates[destination.Ordinal];
            if (target is null)
            {
                inStates[destination.Ordinal] = owned ? state : Clone(state);
                Enqueue(destination.Ordinal);
            }
            else if (JoinInto(target, state))
            {
                Enqueue(destination.Ordinal);
            }
        }

        // Catch, filter and finally blocks have no ordinary predecessor: control reaches them from anywhere in the try.
        bool SeedHandlers()
        {
            var seeded = false;
            foreach (var block in blocks)
            {
                if (!block.IsReachable || inStates[block.Ordinal] is not null || block.Kind != BasicBlockKind.Block
                    || TryRegions.HandledBy(block) is not { } tryRegion)
                {
                    continue;
                }

                TState? seed = null;
                for (var ordinal = tryRegion.FirstBlockOrdinal; ordinal <= tryRegion.LastBlockOrdinal; ordinal++)
                {
                    seed = JoinSeed(seed, inStates[ordinal]);
                    seed = JoinSeed(seed, outStates[ordinal]);
                }

                if (seed is not null)
                {
                    inStates[block.Ordinal] = seed;
                    Enqueue(block.Ordinal);
                    seeded = true;
                }
            }

            return seeded;
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

    private TState? JoinSeed(TState? seed, TState? state)
    {
        if (state is null)
        {
            return seed;
        }

        if (seed is null)
        {
            return Clone(state);
        }

        JoinInto(seed, state);
        return seed;
    }

    /// <summary>Which blocks lie in a try region (null when none does).</summary>
    private static bool[]? BlocksInTry(ControlFlowGraph graph)
    {
        bool[]? inTry = null;
        Mark(graph.Root);
        return inTry;

        void Mark(ControlFlowRegion region)
        {
            if (region.Kind == ControlFlowRegionKind.Try)
            {
                inTry ??= new bool[graph.Blocks.Length];
                for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
                {
                    inTry[ordinal] = true;
                }
            }

            foreach (var nested in region.NestedRegions)
            {
                Mark(nested);
            }
        }
    }

    private static bool HasFinally(ControlFlowRegion region)
    {
        if (region.Kind == ControlFlowRegionKind.Finally)
        {
            return true;
        }

        foreach (var nested in region.NestedRegions)
        {
            if (HasFinally(nested))
            {
                return true;
            }
        }

        return false;
    }
}
