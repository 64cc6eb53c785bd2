namespace ApiLab.Engine;

/// <summary>
/// The invariant checker: recomputes refcounts, mapcounts, the rmap, LRU membership, RSS and swap counts and the
/// VMA order from first principles and compares them with the incremental state. Throws on the first mismatch.
/// Off on hot paths (<see cref="MachineConfig.CheckInvariants"/>); tests turn it on.
/// </summary>
public sealed partial class Machine
{
    public void CheckInvariants()
    {
        CheckGroups();
        var capacity = Frames.Allocated;
        var expectedMaps = new int[capacity];
        var expectedRefs = new int[capacity];
        var expectedSwap = new Dictionary<int, int>();
        var shmems = new HashSet<ShmemObject>(ReferenceEqualityComparer.Instance);
        var memfdRefs = new Dictionary<ShmemObject, int>(ReferenceEqualityComparer.Instance);
        foreach (var process in _byPid.Values)
        {
            // A memfd's pages are referenced by its page cache even where no VMA maps it.
            foreach (var file in process.Fds.OpenFiles())
            {
                if (file is PageCacheFile memfd)
                {
                    shmems.Add(memfd.Shmem);
                    memfdRefs[memfd.Shmem] = memfdRefs.GetValueOrDefault(memfd.Shmem) + 1;
                }
            }
        }

        // A linked regular file keeps its page cache with no fd or mapping left.
        shmems.UnionWith(_files.Values);
        foreach (var (shmem, refs) in memfdRefs)
        {
            Expect(shmem.FileRefs == refs, $"memfd {shmem.Name}: {shmem.FileRefs} file references, {refs} fds");
        }

        foreach (var process in _byPid.Values)
        {
            if (process.Mm is not { } mm)
            {
                continue;
            }

            CheckVmaOrder(mm);
            CheckMmState(process, mm);
            long rssAnon = 0, rssShmem = 0, swapEntries = 0;
            foreach (var (vpn, pte) in mm.PageTable.All())
            {
                var vma = mm.Vmas.Find(Page.ToAddress(vpn))
                    ?? throw new InvariantViolationException($"{process}: PTE at 0x{Page.ToAddress(vpn):x} outside every VMA");
                if (Pte.IsPresent(pte))
                {
                    var frame = Pte.Index(pte);
                    if (frame == FramePool.ZeroPage)
                    {
                        continue;
                    }

                    if ((Frames.Flags(frame) & FrameFlags.InUse) == 0)
                    {
                        throw new InvariantViolationException($"{process}: PTE maps free frame {frame}");
                    }

                    expectedMaps[frame]++;
                    expectedRefs[frame]++;
                    if (Frames.IsAnon(frame))
                    {
                        rssAnon++;
                    }
                    else
                    {
                        rssShmem++;
                    }

                    if (!Frames.Mappings(frame).Contains((mm, vpn)))
                    {
                        throw new InvariantViolationException($"{process}: rmap of frame {frame} lacks vpn 0x{vpn:x}");
                    }
                }
                else if (Pte.IsSwap(pte))
                {
                    swapEntries++;
                    expectedSwap[Pte.Index(pte)] = expectedSwap.GetValueOrDefault(Pte.Index(pte)) + 1;
                }

                if (vma.Shmem is { } s)
                {
                    shmems.Add(s);
                }
            }

            foreach (var vma in mm.Vmas.All())
            {
                if (vma.Shmem is { } s)
                {
                    shmems.Add(s);
                }
            }

            Expect(rssAnon == mm.RssAnon, $"{process}: RssAnon {mm.RssAnon}, counted {rssAnon}");
            Expect(rssShmem == mm.RssShmem, $"{process}: RssShmem {mm.RssShmem}, counted {rssShmem}");
            Expect(swapEntries == mm.SwapEntries, $"{process}: SwapEntries {mm.SwapEntries}, counted {swapEntries}");

        }

        foreach (var shmem in shmems)
        {
            foreach (var (_, entry) in shmem.Entries())
            {
                if (Pte.IsPresent(entry))
                {
                    expectedRefs[Pte.Index(entry)]++;
                    Expect(!shmem.IsRegularFile || !Frames.IsSwapBacked(Pte.Index(entry)),
                        $"file {shmem.Name}: page-cache frame {Pte.Index(entry)} is swap-backed");
                }
                else if (Pte.IsSwap(entry))
                {
                    Expect(!shmem.IsRegularFile, $"file {shmem.Name}: a page went to swap instead of its backing store");
                    expectedSwap[Pte.Index(entry)] = expectedSwap.GetValueOrDefault(Pte.Index(entry)) + 1;
                }
            }
        }

        long anonFrames = 0;
        var inUse = 0;
        var charged = new Dictionary<Mm, long>(ReferenceEqualityComparer.Instance);
        for (var f = 1; f < capacity; f++)
        {
            var flags = Frames.Flags(f);
            if ((flags & FrameFlags.InUse) == 0)
            {
                continue;
            }

            inUse++;
            if (Frames.MemcgOwner(f) is { } owner)
            {
                charged[owner] = charged.GetValueOrDefault(owner) + 1;
            }

            Expect(Frames.MapCount(f) == expectedMaps[f], $"frame {f}: mapcount {Frames.MapCount(f)}, counted {expectedMaps[f]}");
            Expect(Frames.RefCount(f) == expectedRefs[f], $"frame {f}: refcount {Frames.RefCount(f)}, counted {expectedRefs[f]} (leaked frame?)");
            Expect((flags & FrameFlags.OnLru) != 0, $"frame {f}: in use but on no LRU list");
            CheckUnevictable(f);
            if (Frames.IsAnon(f))
            {
                anonFrames++;
            }
        }

        var slotProblem = Frames.CheckSlots();
        Expect(slotProblem is null, $"frame pool: {slotProblem}");
        Expect(inUse == Frames.UsedCount, $"free list: {Frames.UsedCount} used, counted {inUse}");
        var onLists = 0;
        foreach (var swapBacked in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (var active in (ReadOnlySpan<bool>)[false, true])
            {
                foreach (var f in Frames.LruFrames(swapBacked, active))
                {
                    onLists++;
                    if (Frames.IsUnevictable(f))
                    {
                        Fail($"frame {f} is unevictable but on an evictable list");
                    }

                    Expect(Frames.IsSwapBacked(f) == swapBacked, $"frame {f} on the wrong LRU type");
                    Expect(((Frames.Flags(f) & FrameFlags.Active) != 0) == active, $"frame {f} on the wrong LRU list");
                }
            }
        }

        var unevictable = 0;
        foreach (var f in Frames.UnevictableFrames())
        {
            unevictable++;
            if (!Frames.IsUnevictable(f))
            {
                Fail($"frame {f} on the unevictable list without being unevictable");
            }
        }

        onLists += unevictable;
        Expect(onLists == inUse, $"LRU lists hold {onLists} frames, {inUse} in use");
        Expect(Frames.UnevictableCount == unevictable, "unevictable list size");
        long anonCharged = 0;
        foreach (var (owner, count) in charged)
        {
            Expect(owner.MemcgCharged == count, $"memcg of mm {owner.Identity}: {owner.MemcgCharged} charged, {count} frames");
            anonCharged += count;
        }

        foreach (var process in _byPid.Values)
        {
            if (process.Mm is { } mm && !charged.ContainsKey(mm))
            {
                Expect(mm.MemcgCharged == 0, $"{process}: memcg {mm.MemcgCharged} charged, no frames");
            }
        }

        Expect(anonCharged == anonFrames, $"memcg: {anonCharged} anon pages charged, {anonFrames} in use");
        var slotsInUse = 0;
        for (var slot = 1; slot <= Swap.Allocated; slot++)
        {
            var count = Swap.Count(slot);
            if (count == 0)
            {
                continue;
            }

            slotsInUse++;
            Expect(count == expectedSwap.GetValueOrDefault(slot), $"swap slot {slot}: count {count}, counted {expectedSwap.GetValueOrDefault(slot)}");
        }

        Expect(slotsInUse == Swap.UsedSlots, $"swap: {Swap.UsedSlots} slots used, counted {slotsInUse}");
        CheckUserfaultfds();
    }

    /// <summary>
    /// userfaultfd state: VM_UFFD_* flags exactly on VMAs with a context of their own mm that is still open; every fd
    /// reference counted; mmap_changing equal to the queued events; sleeping tasks and wait queues agreeing.
    /// </summary>
    private void CheckUserfaultfds()
    {
        // Lazily allocated: most machines have no userfaultfd, and this runs after every syscall in tests.
        Dictionary<UserfaultfdFile, int>? fileRefs = null;
        foreach (var process in _byPid.Values)
        {
            for (var fd = 0; fd < process.Fds.Size; fd++)
            {
                if (process.Fds.Get(fd) is UserfaultfdFile uffd)
                {
                    fileRefs ??= new(ReferenceEqualityComparer.Instance);
                    fileRefs[uffd] = fileRefs.GetValueOrDefault(uffd) + 1;
                }
            }

            if (process.UffdWait is { } wait)
            {
                Expect(process.State == ProcessState.Running, $"{process}: exited while asleep in a userfault");
                Expect(ReferenceEquals(wait.Task, process) && wait.Context.Waiters.Contains(wait),
                    $"{process}: asleep on {wait.Context}, which does not list it");
                fileRefs ??= new(ReferenceEqualityComparer.Instance);
                fileRefs.TryAdd(wait.Context, 0);
            }

            if (process.Mm is not { } mm)
            {
                continue;
            }

            for (var i = 0; i < mm.Vmas.Count; i++)
            {
                var vma = mm.Vmas[i];
                var registered = (vma.Flags & VmFlags.UffdMask) != 0;
                Expect(registered == vma.Uffd is not null, $"{process}: {vma} has uffd flags without a context or the reverse");
                if (vma.Uffd is { } ctx)
                {
                    Expect(ReferenceEquals(ctx.Mm, mm) && !ctx.Released && ctx.Initialized,
                        $"{process}: {vma} registered with {ctx}, which is released or belongs to another mm");
                    fileRefs ??= new(ReferenceEqualityComparer.Instance);
                    fileRefs.TryAdd(ctx, 0);
                }
            }
        }

        if (fileRefs is null)
        {
            foreach (var process in _byPid.Values)
            {
                Expect(process.UffdEventsUnread == 0, $"{process}: waits for {process.UffdEventsUnread} uffd events no context holds");
            }

            return;
        }

        var pending = new Queue<UserfaultfdFile>(fileRefs.Keys);
        while (pending.Count > 0)
        {
            foreach (var child in pending.Dequeue().ForkContexts())
            {
                if (fileRefs.TryAdd(child, 0))
                {
                    pending.Enqueue(child);
                }
            }
        }

        var forked = new HashSet<UserfaultfdFile>(ReferenceEqualityComparer.Instance);
        foreach (var ctx in fileRefs.Keys)
        {
            forked.UnionWith(ctx.ForkContexts());
        }

        var raised = new Dictionary<Process, int>(ReferenceEqualityComparer.Instance);
        foreach (var ctx in fileRefs.Keys)
        {
            foreach (var raiser in ctx.EventRaisers())
            {
                raised[raiser] = raised.GetValueOrDefault(raiser) + 1;
            }
        }

        foreach (var process in _byPid.Values)
        {
            var expected = process.State == ProcessState.Running ? raised.GetValueOrDefault(process) : 0;
            Expect(process.UffdEventsUnread == expected, $"{process}: waits for {process.UffdEventsUnread} uffd events, {expected} unread");
        }

        foreach (var (ctx, refs) in fileRefs)
        {
            Expect(ctx.FileRefs == refs, $"{ctx}: {ctx.FileRefs} file references, {refs} fds");
            Expect(refs > 0 || ctx.Released || forked.Contains(ctx), $"{ctx}: no fd, no unread fork event, yet not released");
            Expect(ctx.MmapChanging == ctx.QueuedEvents.Count(), $"{ctx}: mmap_changing {ctx.MmapChanging}, {ctx.QueuedEvents.Count()} events queued");
            foreach (var waiter in ctx.Waiters)
            {
                Expect(ReferenceEquals(waiter.Task.UffdWait, waiter), $"{ctx}: {waiter} is not that task's sleep");
            }
        }
    }

    private static void CheckVmaOrder(Mm mm)
    {
        for (var i = 0; i < mm.Vmas.Count; i++)
        {
            var vma = mm.Vmas[i];
            Expect(vma.Start < vma.End && Page.IsAligned(vma.Start) && Page.IsAligned(vma.End), $"bad VMA {vma}");
            Expect(i == 0 || mm.Vmas[i - 1].End <= vma.Start, $"VMAs out of order or overlapping at {vma}");
        }
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message);
        }
    }
}
