namespace ApiLab.Engine;

/// <summary>
/// Writeback of regular-file pages (mm/page-writeback.c, reduced): a dirty page-cache page is cleaned for I/O
/// (folio_clear_dirty_for_io → folio_mkclean write-protects and cleans every PTE mapping it, so the next store takes a
/// write fault that redirties it) and its content is copied to the backing store.
/// </summary>
public sealed partial class Machine
{
    /// <summary>
    /// filemap_write_and_wait_range for pages [<paramref name="first"/>, <paramref name="end"/>) of
    /// <paramref name="file"/>: writes back every dirty cached page there. Shmem has no backing store: nothing to do.
    /// Returns the pages written.
    /// </summary>
    internal int WriteBackRange(ShmemObject file, long first, long end)
    {
        if (!file.IsRegularFile)
        {
            return 0;
        }

        var written = 0;
        var flushed = new HashSet<Mm>(ReferenceEqualityComparer.Instance);
        foreach (var (index, entry) in file.Entries().ToList())
        {
            if (index < first || index >= end || !Pte.IsPresent(entry))
            {
                continue;
            }

            var frame = Pte.Index(entry);
            if (!IsDirty(frame))
            {
                continue;
            }

            MkClean(frame, flushed);
            WriteBackFrame(file, frame);
            written++;
        }

        foreach (var mm in flushed)
        {
            mm.FlushTlb();
        }

        return written;
    }

    /// <summary>The page is dirty: PG_dirty, or a dirty bit in a PTE that maps it (not yet folded into PG_dirty).</summary>
    private bool IsDirty(int frame)
    {
        if ((Frames.Flags(frame) & FrameFlags.Dirty) != 0)
        {
            return true;
        }

        foreach (var (mm, vpn) in Frames.Mappings(frame))
        {
            if ((mm.PageTable.Get(vpn) & Pte.Dirty) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>folio_mkclean: clears the write and dirty bits of every PTE that maps <paramref name="frame"/>.</summary>
    private void MkClean(int frame, HashSet<Mm> flushed)
    {
        foreach (var (mm, vpn) in Frames.Mappings(frame))
        {
            var pte = mm.PageTable.Get(vpn);
            if ((pte & (Pte.Write | Pte.Dirty)) != 0)
            {
                mm.PageTable.Set(vpn, pte & ~(Pte.Write | Pte.Dirty));
                flushed.Add(mm);
            }
        }
    }

    /// <summary>Copies one page-cache frame to the file's backing store and marks it clean.</summary>
    internal void WriteBackFrame(ShmemObject file, int frame)
    {
        file.WriteBlock(Frames.CacheIndex(frame), Frames.Content(frame));
        Frames.SetFlag(frame, FrameFlags.Dirty, false);
        Stats.PagesWrittenBack++;
    }
}
