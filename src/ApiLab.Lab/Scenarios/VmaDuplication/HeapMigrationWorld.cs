using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>
/// Checkpoint/restore of a two-task tree (seed 003): the app holds a private anonymous heap, half of it swapped out,
/// and forks a child during the migration, then writes to its heap; the restorer transfers the app's heap and the
/// child's into itself. Shutemov's fork-and-pass-back case is the fork racing the transfers: the child's heap is the
/// app's pages copy-on-write, so a design that copies page tables lands those pages twice in the restorer's mm.
/// Harm is judged from ground truth: the rmap (an anonymous frame at two addresses of one mm), what each process
/// would read (<see cref="Mm.Peek"/>) against a ledger of what its private memory must hold, and the VMA type.
/// </summary>
public sealed class HeapMigrationWorld : IRaceRun, IHasMachine
{
    public const ulong HeapBase = 0x10000000UL;
    public const ulong AppDst = 0x40000000UL;
    public const ulong ChildDst = 0x80000000UL;
    public const ulong Written = 0xa11ce;

    private readonly ulong _length;
    private readonly int _pages;
    private readonly TransferDriver _driver;
    private readonly CostMeter _restorerCost;
    private readonly int _childPid;
    private readonly List<(Process Owner, string Name, ulong Start, ulong[] Expected)> _ledger = [];

    public HeapMigrationWorld(string design, int pages)
    {
        _pages = pages;
        _length = (ulong)pages * Page.Size;
        Machine = new Machine(new MachineConfig { Frames = (5 * pages) + 256, SwapSlots = (2 * pages) + 256 });
        App = Machine.Spawn(Credentials.User(1000), "app").Value;
        Restorer = Machine.Spawn(Credentials.User(1000), "restorer").Value;
        _childPid = Restorer.Pid + 1; // cyclic pid allocation: the app's next fork gets this raw pid
        var memfd = design == "memfd" ? MapHeapInMemfd() : -1;
        if (memfd < 0)
        {
            App.Mmap(HeapBase, _length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        }

        var initial = new ulong[pages];
        for (var i = 0; i < pages; i++)
        {
            initial[i] = 0xa0000000UL | (uint)i;
            App.Store(HeapBase + ((ulong)i * Page.Size), initial[i]);
        }

        // The page server received the heap a while ago: its second half is out on swap.
        App.Madvise(HeapBase + (_length / 2 / Page.Size * Page.Size), _length - (_length / 2 / Page.Size * Page.Size), Advice.PageOut);
        _ledger.Add((App, "app heap", HeapBase, initial));
        _driver = design switch
        {
            "process-vm-mmap" => new ProcessVmMmapDriver(Restorer),
            "move" => new MoveDriver(Restorer),
            "vm-writev" => new VmCopyDriver(Restorer),
            "proc-mem-splice" => new ProcMemSpliceDriver(Restorer),
            "memfd" => new MemfdDriver(Restorer, TakeMemfd(memfd)),
            _ => throw new ArgumentException($"unknown design '{design}'", nameof(design)),
        };
        if (_driver.NeedsMappedDestination)
        {
            foreach (var (dst, name) in new[] { (AppDst, "restored app heap"), (ChildDst, "restored child heap") })
            {
                Restorer.Mmap(dst, _length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
                _ledger.Add((Restorer, name, dst, new ulong[pages]));
            }
        }

        _restorerCost = new CostMeter(Machine);
        Actors =
        [
            new Actor("app",
            [
                new Step("fork()", Fork, Footprint.Writing("mm:app", "child")),
                new Step("store heap[0] (no syscall)", Write, Footprint.Writing("mm:app")),
            ]),
            new Actor("restorer",
            [
                new Step("transfer(app heap)", _restorerCost.Wrap(() => Transfer(App, App.Pid, AppDst, "restored app heap")),
                    Footprint.Writing("mm:app", "mm:restorer")),
                new Step("transfer(child heap, raw pid)", _restorerCost.Wrap(() => Transfer(Child, _childPid, ChildDst, "restored child heap")),
                    Footprint.Reading("child").AndWriting("mm:restorer")),
            ]),
        ];
    }

    public static IReadOnlyList<int> StepsPerActor => [2, 2];

    public Machine Machine { get; }

    public Process App { get; }

    public Process Restorer { get; }

    public Process? Child { get; private set; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    /// <summary>Hocko's premise: the app keeps its heap in a memfd mapped MAP_SHARED (the app had to be written so).</summary>
    private int MapHeapInMemfd()
    {
        var fd = Machine.MemfdCreate(App, "heap", 0).Value;
        Machine.Ftruncate(App, fd, (long)_length);
        App.Mmap(HeapBase, _length, Prot.ReadWrite, MapFlags.Shared | MapFlags.Fixed, fd, 0);
        return fd;
    }

    /// <summary>The fd passing Hocko's design presumes, done once at setup: pidfd_open + pidfd_getfd.</summary>
    private int TakeMemfd(int appFd)
    {
        var pidfd = Machine.PidfdOpen(Restorer, new Pid(App.Pid), 0).Value;
        return new MemfdShareAdapter(Restorer).TakeFd(pidfd, appFd, 0).Value;
    }

    private void Fork()
    {
        var forked = Machine.Fork(App);
        if (forked.IsOk)
        {
            Child = forked.Value;
            if (Child.Pid != _childPid)
            {
                throw new InvalidOperationException($"the child got pid {Child.Pid}, not the predicted {_childPid}");
            }

            var parent = Ledger(App, "app heap")!.Value;
            _ledger.Add((Child, "child heap", HeapBase, [.. parent.Expected]));
        }

        LastOutcome = forked.IsOk ? string.Create(CultureInfo.InvariantCulture, $"pid {forked.Value.Pid}") : $"-{forked.Error}";
    }

    private void Write()
    {
        var stored = App.Store(HeapBase, Written);
        if (stored.IsOk)
        {
            Ledger(App, "app heap")!.Value.Expected[0] = Written;
        }

        LastOutcome = stored.IsOk ? "ok" : $"-{stored.Error}";
    }

    private void Transfer(Process? source, int pid, ulong dst, string name)
    {
        var moved = _driver.Transfer(new Pid(pid), source, HeapBase, _length, dst);
        LastOutcome = moved.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{moved.Value} bytes") : $"-{moved.Error}";
        if (!moved.IsOk || source is null)
        {
            return;
        }

        // The restored copy must now hold what the source's private memory held, page by page as far as it got.
        var from = Ledger(source, source == App ? "app heap" : "child heap")!.Value.Expected;
        var done = (int)Math.Min(_pages, moved.Value / (long)Page.Size);
        var to = Ledger(Restorer, name)?.Expected ?? new ulong[_pages];
        Array.Copy(from, to, done);
        if (Ledger(Restorer, name) is null)
        {
            _ledger.Add((Restorer, name, dst, to));
        }

        if (_driver.MovesPages)
        {
            Array.Clear(from, 0, done);
        }
    }

    private (Process Owner, string Name, ulong Start, ulong[] Expected)? Ledger(Process owner, string name)
    {
        foreach (var entry in _ledger)
        {
            if (ReferenceEquals(entry.Owner, owner) && entry.Name == name)
            {
                return entry;
            }
        }

        return null;
    }

    public IReadOnlyList<string> Harms()
    {
        var harms = new List<string>();
        foreach (var process in (Process?[])[App, Child, Restorer])
        {
            if (process?.Mm is { } mm && DoublyMapped(mm) is var (frames, slots) && frames + slots > 0)
            {
                harms.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{process.Comm} maps {frames + slots} anonymous page(s) at two addresses of one mm ({frames} resident, {slots} on swap): rmap invariant broken"));
            }
        }

        foreach (var (owner, name, start, expected) in _ledger)
        {
            var vma = owner.Mm?.Vmas.Find(start);
            if (vma is not null && vma.IsShared)
            {
                harms.Add($"{owner.Comm}'s {name} is a MAP_SHARED mapping: private memory turned shared");
            }

            for (var i = 0; i < expected.Length; i++)
            {
                var actual = owner.Mm?.Peek(start + ((ulong)i * Page.Size));
                if (actual != expected[i])
                {
                    harms.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{owner.Comm}'s {name}[{i}] reads 0x{actual ?? 0:x}, its private copy holds 0x{expected[i]:x}: a write lost or seen by the wrong process"));
                    break;
                }
            }
        }

        return harms;
    }

    /// <summary>
    /// Anonymous pages this mm maps at more than one address: frames the page table and the rmap both show twice, and
    /// swap slots two of its PTEs share (on Linux the swap cache hands both the same page back at swap-in; the engine,
    /// which has no swap cache, would give each its own copy, so the slot is where the double mapping is visible).
    /// </summary>
    public static int DoublyMappedPages(Mm mm)
    {
        var (frames, slots) = DoublyMapped(mm);
        return frames + slots;
    }

    private static (int Frames, int Slots) DoublyMapped(Mm mm)
    {
        ArgumentNullException.ThrowIfNull(mm);
        var frames = mm.Machine.Frames;
        var seen = new Dictionary<int, int>();
        var slots = new Dictionary<int, int>();
        foreach (var (_, pte) in mm.PageTable.All())
        {
            if (Pte.IsPresent(pte) && Pte.Index(pte) is var frame and not FramePool.ZeroPage && frames.IsAnon(frame))
            {
                seen[frame] = seen.GetValueOrDefault(frame) + 1;
            }
            else if (Pte.IsSwap(pte))
            {
                slots[Pte.Index(pte)] = slots.GetValueOrDefault(Pte.Index(pte)) + 1;
            }
        }

        var twiceResident = 0;
        foreach (var (frame, count) in seen)
        {
            if (count > 1 && frames.Mappings(frame).Count(m => ReferenceEquals(m.Mm, mm)) == count)
            {
                twiceResident++;
            }
        }

        var twiceSwapped = slots.Count(static s => s.Value > 1);
        return (twiceResident, twiceSwapped);
    }

    public Measurement Measure()
    {
        var counters = new List<KeyValuePair<string, long>>(_restorerCost.Totals())
        {
            new("memcg_source", (App.Mm?.MemcgCharged ?? 0) + (Child?.Mm?.MemcgCharged ?? 0)),
            new("memcg_dest", Restorer.Mm?.MemcgCharged ?? 0),
            new("double_mapped_pages", Restorer.Mm is { } mm ? DoublyMappedPages(mm) : 0),
        };
        return new Measurement(counters);
    }
}
