using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// 6.18 (design A of seed 004): the temporary stack of the new mm at STACK_TOP_MAX, filled through
/// get_user_pages_remote on bprm->mm, relocated down by setup_arg_pages. The pages are ordinary anonymous pages of
/// the new mm (swappable) and acct_arg_size charges them to the execing task.
/// </summary>
internal sealed class TemporaryStackStore : ArgStore
{
    private readonly Mm _mm;

    public TemporaryStackStore(Machine machine, Mm mm)
        : base(machine)
    {
        _mm = mm;
        Vma = mm.CreateInitStackVma();
    }

    public Vma Vma { get; }

    // The stack's size when the copy ended (bprm->vma_pages), not after setup_arg_pages' pre-expansion.
    private long _pages;

    public override long Pages => _pages;

    public override bool ChargedToCaller => true;

    public override bool GetPage(ulong pos)
    {
        var ok = _mm.GetArgPage(Vma, pos);
        _pages = (long)(Vma.Length >> Page.Shift);
        return ok;
    }

    public override bool Copy(ulong pos, ReadOnlySpan<byte> bytes) => _mm.CopyArgBytes(Vma, pos, bytes);

    /// <summary>The temporary VMA stays where it is; setup_arg_pages relocates it (and counts the move).</summary>
    public override SysResult<Vma> PlaceStack(Mm mm, ulong stackTop)
    {
        if (Vma.End != Page.AlignUp(stackTop))
        {
            StackMoves = 1;
        }

        return Vma;
    }

    /// <summary>What relocate_vma_down reported, for the store's cost counters.</summary>
    public void Relocated(long ptesMoved, long flushes)
    {
        PtesMoved = ptesMoved;
        MoveTlbFlushes = flushes;
    }
}
