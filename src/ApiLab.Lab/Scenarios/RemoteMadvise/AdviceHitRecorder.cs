using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Ground truth: every VMA identity an advice touched in the target's mm.</summary>
internal sealed class AdviceHitRecorder(Mm target) : IMmObserver
{
    public List<(ulong VmaId, Advice Advice, ulong Start, ulong End)> Hits { get; } = [];

    public void OnAdvice(Mm mm, Vma vma, Advice advice, ulong start, ulong end)
    {
        if (ReferenceEquals(mm, target))
        {
            Hits.Add((vma.Id, advice, start, end));
        }
    }
}
