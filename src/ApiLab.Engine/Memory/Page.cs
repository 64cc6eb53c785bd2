namespace ApiLab.Engine;

/// <summary>Page-size arithmetic (x86-64, 4 KiB base pages).</summary>
public static class Page
{
    public const int Shift = 12;
    public const ulong Size = 1UL << Shift;
    public const ulong Mask = Size - 1;

    /// <summary>TASK_SIZE for a 47-bit user address space.</summary>
    public const ulong TaskSize = 0x7ffffffff000UL;

    public static bool IsAligned(ulong address) => (address & Mask) == 0;

    /// <summary>PAGE_ALIGN: rounds up; returns 0 on overflow, as the kernel's macro wraps.</summary>
    public static ulong AlignUp(ulong length) => (length + Mask) & ~Mask;

    public static ulong AlignDown(ulong address) => address & ~Mask;

    public static ulong ToVpn(ulong address) => address >> Shift;

    public static ulong ToAddress(ulong vpn) => vpn << Shift;
}
