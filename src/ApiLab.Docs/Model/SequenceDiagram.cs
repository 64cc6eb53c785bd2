using ApiLab.Lab;
using Scriban.Runtime;

namespace ApiLab.Docs;

/// <summary>
/// The geometry of a counterexample's sequence diagram: one lifeline per actor, one box per step in schedule order,
/// so a reader sees which actor did what, and when, in the interleaving that caused the harm.
/// </summary>
internal static class SequenceDiagram
{
    private const int LaneWidth = 260;
    private const int RowHeight = 46;
    private const int Header = 40;

    public static ScriptObject Of(RunResult example)
    {
        var actors = example.Trace.Select(static t => t.Actor).Distinct().ToList();
        var height = Header + (example.Trace.Count * RowHeight) + 20;
        return new ScriptObject
        {
            ["width"] = actors.Count * LaneWidth,
            ["height"] = height,
            ["lanes"] = actors.Select((a, i) => new ScriptObject
            {
                ["name"] = a,
                ["x"] = (i * LaneWidth) + (LaneWidth / 2),
                ["bottom"] = height - 10,
            }).ToList(),
            ["steps"] = example.Trace.Select(t =>
            {
                var lane = actors.IndexOf(t.Actor);
                return new ScriptObject
                {
                    ["x"] = (lane * LaneWidth) + 10,
                    ["y"] = Header + (t.Index * RowHeight),
                    ["box_width"] = LaneWidth - 20,
                    ["text_x"] = (lane * LaneWidth) + (LaneWidth / 2),
                    ["label"] = $"{t.Index + 1}. {t.Step}",
                    ["outcome"] = t.Outcome,
                };
            }).ToList(),
        };
    }
}
