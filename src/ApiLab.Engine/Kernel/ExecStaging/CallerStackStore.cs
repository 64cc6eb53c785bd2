using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Hugh Dickins's idea (seed 004, 2009-12-09): "building up the argv+env below sp on the execer's userstack", then
/// migrating the pages "over to the new mm later (instead of relocating within the new mm as we do now)". The copy
/// only touches current's own mm, and the pages stay ordinary swappable anonymous pages of it. The stack grows down
/// as it must (expand_downwards), so it fails where the stack cannot grow: closer than the guard gap to the VMA below,
/// or over RLIMIT_STACK ("sorry, you left too little space for your userstack" — a regression). Before the old mm is
/// dropped, every page's entry moves into the new mm at the final stack top: a page-table move and a TLB flush of the
/// old mm "in all cases", even when the stack tops agree. Never written; UNCONFIRMED: the build area starts at the
/// page boundary below sp (so whole pages move and each keeps its image), each page is zeroed when first used (else
/// the old image's dead stack would travel into the new one), the failure is ENOMEM (expand_downwards' errno), and the
/// move happens once, to the final top, just before exec_mmap.
/// </summary>
internal sealed class CallerStackStore : ArgStore
{
    private readonly Mm _oldMm;
    private readonly Mm _newMm;
    private readonly Vma? _stack;
    private readonly ulong _buildTop;
    private long _pages;
    private Vma? _placed;

    public CallerStackStore(Machine machine, Mm oldMm, Mm newMm, ulong stackPointer)
        : base(machine)
    {
        _oldMm = oldMm;
        _newMm = newMm;
        _stack = oldMm.Vmas.Find(stackPointer);
        _buildTop = Page.AlignDown(stackPointer);
    }

    public override long Pages => _pages;

    /// <summary>The lowest address of the old mm the build area reached so far.</summary>
    public ulong BuildBottom => _buildTop - ((ulong)_pages << Page.Shift);

    public override bool GetPage(ulong pos)
    {
        var address = ToOld(pos);
        if (_stack is null)
        {
            FailureErrno = Errno.EFAULT;
            return false;
        }

        if (address < _stack.Start && _oldMm.ExpandDownwards(_stack, address) != Errno.None)
        {
            FailureErrno = Errno.ENOMEM;
            return false;
        }

        var frame = _oldMm.ArgFrameForWrite(_stack, address);
        if (frame < 0)
        {
            FailureErrno = Errno.ENOMEM;
            return false;
        }

        var index = IndexFromTop(pos);
        if (index >= _pages)
        {
            Machine.Frames.SetContent(frame, 0);
            _pages = index + 1;
        }

        return true;
    }

    public override bool Copy(ulong pos, ReadOnlySpan<byte> bytes)
    {
        var frame = _stack is null ? -1 : _oldMm.ArgFrameForWrite(_stack, ToOld(pos));
        if (frame < 0)
        {
            return false;
        }

        Fold(frame, pos, bytes);
        return true;
    }

    public override Errno BeforeSwitch(ulong stackTop)
    {
        var top = Page.AlignUp(stackTop);
        var size = (ulong)_pages << Page.Shift;
        var placed = _newMm.CreateArgStackVma(top - size, top);
        if (!placed.IsOk)
        {
            return placed.Error;
        }

        _placed = placed.Value;
        var (moved, flushes) = _oldMm.MigrateArgPages(BuildBottom, _buildTop, _newMm, top - size);
        PtesMoved = moved;
        MoveTlbFlushes = flushes;
        StackMoves = 1;
        return Errno.None;
    }

    public override SysResult<Vma> PlaceStack(Mm mm, ulong stackTop) =>
        _placed is { } vma ? vma : Errno.EFAULT;

    private ulong ToOld(ulong pos) => pos - (Mm.StackTopMax - _buildTop);
}
