using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>Control-flow-graph regions the flow analyses need: where a handler's entry state comes from.</summary>
internal static class TryRegions
{
    /// <summary>The try region whose handler (catch, filter or finally) starts at <paramref name="block"/>.</summary>
    public static ControlFlowRegion? HandledBy(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.FirstBlockOrdinal != block.Ordinal)
            {
                return null;
            }

            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally)
            {
                for (var parent = region.EnclosingRegion; parent is not null; parent = parent.EnclosingRegion)
                {
                    if (parent.Kind is ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally
                        && parent.NestedRegions.Length > 0
                        && parent.NestedRegions[0].Kind == ControlFlowRegionKind.Try)
                    {
                        return parent.NestedRegions[0];
                    }
                }

                return null;
            }
        }

        return null;
    }
}
