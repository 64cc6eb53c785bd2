using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>Ground truth for the lab: which VMA (by never-reused identity) an operation actually touched.</summary>
public interface IMmObserver
{
    void OnAdvice(Mm mm, Vma vma, Advice advice, ulong start, ulong end);
}
