using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Al Viro's kernel-held argument pages (seed 004, Hugh Dickins 2009-12-09: "a reversion of commit b6a2fea39318 …
/// but putting the pages into a linked list instead of a MAX_ARG_PAGES array"). copy_strings never touches a foreign
/// mm: each page is a plain kernel allocation (alloc_page, zeroed as 6.18's NOMMU bprm->page[] is), on no LRU list,
/// so reclaim cannot free it however long the exec holds it. After the switch the pages are installed into a fresh
/// stack VMA at the final stack top (install_arg_page): no page-table move, no TLB flush. Charging them to the new
/// mm's memcg at install is UNCONFIRMED (2009 had no such accounting for bprm pages).
/// </summary>
internal sealed class KernelPageStore(Machine machine) : ArgStore(machine)
{
    // Index 0 is the top page (bprm coordinates count down from STACK_TOP_MAX).
    private readonly List<int> _frames = [];
    private bool _installed;

    public override long Pages => _frames.Count;

    public override long PinnedPages => _installed ? 0 : _frames.Count;

    public override bool GetPage(ulong pos)
    {
        var index = IndexFromTop(pos);
        while (_frames.Count <= index)
        {
            // Direct reclaim may run, but it can only free other memory: these frames are never on an LRU.
            var frame = Machine.AllocateFrame(0, FrameFlags.None);
            if (frame < 0)
            {
                return false;
            }

            _frames.Add(frame);
        }

        return true;
    }

    public override bool Copy(ulong pos, ReadOnlySpan<byte> bytes)
    {
        Fold(_frames[(int)IndexFromTop(pos)], pos, bytes);
        return true;
    }

    public override SysResult<Vma> PlaceStack(Mm mm, ulong stackTop)
    {
        var top = Page.AlignUp(stackTop);
        var vma = mm.CreateArgStackVma(top - ((ulong)_frames.Count << Page.Shift), top);
        if (!vma.IsOk)
        {
            return vma.Error;
        }

        for (var i = 0; i < _frames.Count; i++)
        {
            mm.InstallArgFrame(top - ((ulong)(i + 1) << Page.Shift), _frames[i]);
        }

        _installed = true;
        return vma;
    }

    public override void Abandon()
    {
        foreach (var frame in _frames)
        {
            Machine.Frames.Put(frame);
        }

        _frames.Clear();
    }
}
