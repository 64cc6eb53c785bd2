namespace ApiLab.Spec;

/// <summary>An fd that names one VMA (Hocko's FD-per-VMA design): it revalidates the VMA on every use.</summary>
[Handle]
public readonly record struct VmaFd(int Fd)
{
    public override string ToString() => $"vmafd:{Fd}";
}
