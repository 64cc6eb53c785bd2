namespace ApiLab.Spec;

/// <summary>The answer of a layout query: the VMAs, and the cookie that revalidates them (if the design has one).</summary>
public sealed record VmaSnapshot(IReadOnlyList<VmaInfo> Vmas, LayoutCookie Cookie);
