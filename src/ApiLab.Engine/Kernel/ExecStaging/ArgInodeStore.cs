using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Al Viro's swappable variant (seed 004, quoted by Hugh Dickins 2009-12-09): "embed an inode into bprm, use a _very_
/// trimmed-down analog of shmem.c to handle it, then, after switch to new VM, swap what's needed in, steal it from
/// that inode and shove resulting anon pages into freshly created stack vma". The copy fills page-cache pages of a
/// private shmem object that no VMA maps; reclaim may swap them out like any shmem page. After the switch each page
/// is swapped back in if it went out, taken out of the page cache and turned into an anonymous page of the new
/// stack (no page-table move). Never written; the details (a swapped-out page comes back as a new anonymous frame,
/// the stolen page keeps its LRU place, the new mm's memcg is charged at the steal) are UNCONFIRMED. Hugh's "Dr
/// Frankenstein" objection is that shmem pages (shared) and anonymous pages (COWed) live by different rules:
/// <see cref="ArgStore.PagesStolen"/> counts every page that crosses that line.
/// </summary>
internal sealed class ArgInodeStore : ArgStore
{
    private readonly ShmemObject _inode;
    private long _pages;

    public ArgInodeStore(Machine machine)
        : base(machine)
    {
        _inode = machine.NewShmem("bprm-args");
    }

    public override long Pages => _pages;

    /// <summary>The inode, for tests that look at its page cache.</summary>
    public ShmemObject Inode => _inode;

    public override bool GetPage(ulong pos)
    {
        var index = IndexFromTop(pos);
        _pages = Math.Max(_pages, index + 1);
        return CachePage(index) >= 0;
    }

    public override bool Copy(ulong pos, ReadOnlySpan<byte> bytes)
    {
        var frame = CachePage(IndexFromTop(pos));
        if (frame < 0)
        {
            return false;
        }

        Fold(frame, pos, bytes);
        Machine.Frames.SetFlag(frame, FrameFlags.Dirty, true);
        return true;
    }

    public override SysResult<Vma> PlaceStack(Mm mm, ulong stackTop)
    {
        var top = Page.AlignUp(stackTop);
        var vma = mm.CreateArgStackVma(top - ((ulong)_pages << Page.Shift), top);
        if (!vma.IsOk)
        {
            return vma.Error;
        }

        var frames = Machine.Frames;
        for (long i = 0; i < _pages; i++)
        {
            var entry = _inode.Get(i);
            int frame;
            if (Pte.IsSwap(entry))
            {
                // "swap what's needed in": straight into a new anonymous frame.
                var slot = Pte.Index(entry);
                frame = Machine.AllocateFrame(Machine.Swap.Content(slot), FrameFlags.Anon | FrameFlags.SwapBacked);
                if (frame < 0)
                {
                    return Errno.ENOMEM;
                }

                Machine.Swap.Free(slot);
                Machine.Stats.PagesSwappedIn++;
                PagesSwappedIn++;
            }
            else
            {
                // "steal it from that inode": out of the page cache, and anonymous from now on.
                frame = Pte.Index(entry);
                frames.SetCacheOwner(frame, null, 0);
                frames.SetFlag(frame, FrameFlags.Dirty, false);
                frames.SetFlag(frame, FrameFlags.Anon, true);
                PagesStolen++;
            }

            _inode.Set(i, Pte.None);
            mm.InstallArgFrame(top - ((ulong)(i + 1) << Page.Shift), frame);
        }

        return vma;
    }

    public override void Abandon() => Machine.FreeShmem(_inode);

    /// <summary>shmem_get_folio for the trimmed-down inode: the cached page, swapped back in, or a new zeroed one.</summary>
    private int CachePage(long index)
    {
        var entry = _inode.Get(index);
        if (Pte.IsPresent(entry))
        {
            return Pte.Index(entry);
        }

        var swapped = Pte.IsSwap(entry);
        var frame = Machine.AllocateFrame(swapped ? Machine.Swap.Content(Pte.Index(entry)) : 0UL, FrameFlags.SwapBacked);
        if (frame < 0)
        {
            return -1;
        }

        if (swapped)
        {
            Machine.Swap.Free(Pte.Index(entry));
            Machine.Stats.PagesSwappedIn++;
            PagesSwappedIn++;
        }

        Machine.Frames.SetCacheOwner(frame, _inode, index);
        Machine.Frames.LruAdd(frame, active: false);
        _inode.Set(index, Pte.MakePresent(frame, 0));
        return frame;
    }
}
