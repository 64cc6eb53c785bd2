using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// userfaultfd's non-cooperative events as the mm operations raise them: REMOVE (madvise), UNMAP (munmap, mmap over a
/// range, mremap shrinking or moving), REMAP (mremap moves) and FORK (Mm.Fork.cs). Each is queued only for a
/// userfaultfd that negotiated the matching feature. In Linux the task that raised the event then sleeps until the
/// monitor reads it; here the syscall finishes its work at once (except a REMOVE's zap, which waits for the read as
/// in Linux: <see cref="UffdRemoveFirst"/>), the event waits in the queue (mmap_changing keeps UFFDIO_COPY and friends
/// at EAGAIN until it is read) and the raising task does not run until it is read (<see cref="Process.UffdEventsUnread"/>).
/// </summary>
public sealed partial class Mm
{
    /// <summary>
    /// userfaultfd_remove (fs/userfaultfd.c): MADV_DONTNEED / DONTNEED_LOCKED / FREE / REMOVE over part of a VMA
    /// registered with a userfaultfd that negotiated EVENT_REMOVE, after the advice's own checks. As in 6.18's
    /// madvise_dontneed_free and madvise_remove, the event is queued BEFORE anything is zapped and the caller sleeps
    /// until the monitor has read it (userfaultfd_event_wait_completion); only then does <paramref name="zap"/> run.
    /// So a monitor still sees the pages while the event is unread, and any access meanwhile reads the old data.
    /// Returns false (nothing queued: the caller zaps at once) when the VMA has no such userfaultfd.
    /// </summary>
    /// <remarks>The engine's madvise returns when the event is queued, with the result it has then; Linux returns after
    /// the zap, so a VMA unmapped or changed before the read (vma_lookup → ENOMEM, the revalidation → EINVAL) would
    /// change the result there, while here it only changes what the deferred zap does.</remarks>
    private static bool UffdRemoveFirst(Vma vma, ulong start, ulong end, Action zap)
    {
        if (vma.Uffd is not { } ctx || (ctx.Features & UffdFeatures.EventRemove) == 0)
        {
            return false;
        }

        ctx.QueueEvent(UffdMessage.Remove(start, end), resume: zap);
        return true;
    }
}

/// <summary>
/// The uf list of one munmap / mmap / mremap: userfaultfd_unmap_prep records (userfaultfd, requested range) once per
/// userfaultfd with EVENT_UNMAP whose VMAs the unmap touches — the whole requested range, not the VMA's part, as on the
/// 6.18 host — and userfaultfd_unmap_complete queues the UNMAP events once the unmap is done.
/// </summary>
internal struct UffdUnmaps
{
    private List<(UserfaultfdFile Ctx, ulong Start, ulong End)>? _entries;

    public void Prep(Vma vma, ulong start, ulong end)
    {
        if (vma.Uffd is not { } ctx || (ctx.Features & UffdFeatures.EventUnmap) == 0)
        {
            return;
        }

        _entries ??= [];
        foreach (var entry in _entries)
        {
            if (ReferenceEquals(entry.Ctx, ctx) && entry.Start == start && entry.End == end)
            {
                return;
            }
        }

        _entries.Add((ctx, start, end));
    }

    public readonly void Complete()
    {
        if (_entries is null)
        {
            return;
        }

        foreach (var (ctx, start, end) in _entries)
        {
            ctx.QueueEvent(UffdMessage.Unmap(start, end));
        }
    }
}

/// <summary>
/// One mremap's userfaultfd bookkeeping, completed in Linux's order: UNMAPs of what MREMAP_FIXED replaced
/// (uf_unmap_early), the REMAP of the moved VMA (uf), then UNMAPs of the shrunk tail and the old range (uf_unmap).
/// </summary>
internal struct UffdMremap
{
    public UffdUnmaps Early;
    public UffdUnmaps Late;
    private UserfaultfdFile? _remap;
    private ulong _from;
    private ulong _length;

    /// <summary>mremap_userfaultfd_prep (the new VMA kept its registration because EVENT_REMAP was negotiated).</summary>
    public void PrepRemap(UserfaultfdFile ctx, ulong from, ulong length)
    {
        _remap = ctx;
        _from = from;
        _length = length;
    }

    /// <summary>The three completions; the REMAP only when the call succeeded (mremap_userfaultfd_complete).</summary>
    public readonly void Complete(SysResult<ulong> result)
    {
        Early.Complete();
        if (_remap is not null && result.IsOk)
        {
            _remap.QueueEvent(UffdMessage.Remap(_from, result.Value, _length));
        }

        Late.Complete();
    }
}
