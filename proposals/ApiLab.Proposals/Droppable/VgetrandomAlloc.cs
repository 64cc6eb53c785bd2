using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// The body of v14's vgetrandom_alloc(unsigned int *num, unsigned int *size_per_each, unsigned long addr, unsigned int
/// flags), shared by the designs that keep its ABI. The adapter has already refused nonzero addr and flags (EINVAL,
/// checked first, as the patch does). Then, in the patch's order: *size_per_each must read as 0 (EFAULT if it cannot
/// be read, EINVAL if nonzero); *num is read (EFAULT); the state count is clamped to at least 1 and rounded up to whole
/// pages of states that never straddle a page; the mapping is made; the counts are written back, and if that fails
/// the mapping is unmapped again and the call returns EFAULT. Every error but the last changes nothing.
/// The order is the one in the 2024 resend of this patch (the same checks as v14's text; UNCONFIRMED that v14 itself
/// wrote the counts back after the mmap rather than before).
/// </summary>
public static class VgetrandomAlloc
{
    /// <summary>sizeof(struct vgetrandom_state) in v14: a 128-byte batch/key union, the generation word, pos and
    /// in_use, padded to 8 (UNCONFIRMED: recalled from the v14-era lib/vdso/getrandom.h, not the archive).</summary>
    public const uint StateSize = 144;

    /// <summary>States that fit in one page without straddling its end.</summary>
    public const uint StatesPerPage = (uint)(Page.Size / StateSize);

    /// <summary>The bytes a request for <paramref name="states"/> states maps.</summary>
    public static ulong BytesFor(uint states) => Page.AlignUp(Math.Max(1UL, states) * StateSize);

    public static SysResult<ulong> Allocate(Process caller, ulong numPointer, ulong sizePerEachPointer, Func<Mm, ulong, SysResult<ulong>> map)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(map);
        if (caller.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        var sizeIn = caller.Load(sizePerEachPointer);
        if (!sizeIn.IsOk)
        {
            return Errno.EFAULT;
        }

        if ((uint)sizeIn.Value != 0)
        {
            return Errno.EINVAL;
        }

        var hint = caller.Load(numPointer);
        if (!hint.IsOk)
        {
            return Errno.EFAULT;
        }

        var bytes = BytesFor((uint)hint.Value);
        var states = StatesPerPage * (bytes >> Page.Shift);
        var mapped = map(mm, bytes);
        if (!mapped.IsOk)
        {
            return mapped.Error;
        }

        if (!caller.Store(numPointer, states).IsOk || !caller.Store(sizePerEachPointer, StateSize).IsOk)
        {
            mm.Munmap(mapped.Value, bytes);
            return Errno.EFAULT;
        }

        return mapped.Value;
    }
}
