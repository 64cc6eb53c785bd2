namespace ApiLab.Engine;

/// <summary>move_page_tables: page-table entries moved without copying their pages (exec's stack relocation, and the
/// below-sp exec staging's migration into the new mm).</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Moves the entries of [<paramref name="startVpn"/>, <paramref name="endVpn"/>) to <paramref name="to"/> at
    /// <paramref name="toVpn"/> (ascending, so a move down within one mm never overwrites what it has yet to move).
    /// Within one mm the rmap follows the page; into another mm present pages change owner (rmap, RSS, memcg) and
    /// swap entries follow. Like move_ptes, one TLB flush of this mm per extent (bounded by both ranges' 2 MiB
    /// page-table boundaries) that held a present entry, and one more when a page table was emptied.
    /// </summary>
    internal (long Moved, long Flushes) MovePageTables(ulong startVpn, ulong endVpn, Mm to, ulong toVpn)
    {
        var frames = Machine.Frames;
        var sameMm = ReferenceEquals(to, this);
        const ulong pmd = (ulong)PageTable.LeafSize;
        long moved = 0;
        long flushes = 0;
        var freedTables = false;
        var vpn = startVpn;
        var newVpn = toVpn;
        while (vpn < endVpn)
        {
            // get_extent: to the next old or new page-table boundary, whichever comes first.
            var extentEnd = Math.Min(Math.Min((vpn | (pmd - 1)) + 1, vpn + (((newVpn | (pmd - 1)) + 1) - newVpn)), endVpn);
            var hadLeaf = PageTable.LeafFor(vpn) is not null;
            var present = false;
            for (; vpn < extentEnd; vpn++, newVpn++)
            {
                var pte = PageTable.Get(vpn);
                if (pte == Pte.None)
                {
                    continue;
                }

                if (Pte.IsPresent(pte))
                {
                    MoveFrame(frames, Pte.Index(pte), vpn, to, newVpn, sameMm);
                    present = true;
                }
                else if (Pte.IsSwap(pte) && !sameMm)
                {
                    SwapEntries--;
                    to.SwapEntries++;
                }

                to.PageTable.Set(newVpn, pte);
                PageTable.Set(vpn, Pte.None);
                moved++;
            }

            if (present)
            {
                FlushTlb();
                flushes++;
            }

            freedTables |= hadLeaf && PageTable.LeafFor(vpn - 1) is null;
        }

        if (freedTables)
        {
            FlushTlb();
            flushes++;
        }

        Machine.Stats.PtesMoved += moved;
        Stats.PtesMoved += moved;
        return (moved, flushes);
    }

    private void MoveFrame(FramePool frames, int frame, ulong vpn, Mm to, ulong newVpn, bool sameMm)
    {
        if (sameMm)
        {
            frames.MoveMapping(frame, this, vpn, newVpn);
            return;
        }

        if (frame != FramePool.ZeroPage)
        {
            frames.RemoveMapping(frame, this, vpn);
            RssAnon--;
            frames.AddMapping(frame, to, newVpn);
            to.RssAnon++;
            frames.Recharge(frame, to);
        }
    }
}
