using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>
/// The vgetrandom state buffer (seed 002, issue 7). The owner's library has allocated the states (setup, metered) and
/// then fills them with keys, tries to mlock them, rekeys them (fast key erasure: the old key must be overwritten)
/// and uses them. Meanwhile another thread forks a child that reads the states, and a core dump is taken; and a
/// memory hog takes every frame with locked memory and later frees it. Harm is judged from engine ground truth: the
/// child's reads, the dump's pages, the swap device's slots (scanned after every step: Linux leaves written-out data
/// on the device), the state pages' contents right after each store the owner believes done, and the OOM killer.
/// </summary>
public sealed class StateBufferWorld : IRaceRun, IHasMachine
{
    private readonly StateDriver _driver;
    private readonly MemoryHog _hog;
    private readonly CostMeter _ownerCost;
    private readonly List<string> _harms = [];
    private readonly OwnerProgram _program;
    private readonly long _droppedBefore;
    private readonly long _swappedBefore;
    private string? _lockOutcome;
    private int _cursor;
    private int _ownerSteps;
    private bool _finished;
    private bool _swapLeaked;
    private long _oomKills;
    private long _retries;
    private long _zeroed;
    private long _resident = -1;

    public StateBufferWorld(string design, int states, bool checkInvariants = false)
    {
        Pages = (int)(StateDriver.BytesFor(states) >> Page.Shift);
        // Room for the states, the stack words, a child's fresh pages and a little more: the hog takes the rest.
        Machine = new Machine(new MachineConfig { Frames = (2 * Pages) + 8, SwapSlots = (2 * Pages) + 8, CheckInvariants = checkInvariants });
        Owner = Machine.Spawn(Credentials.User(1000), "app").Value;
        _driver = design switch
        {
            "v14-skip" => new V14SkipDriver(Owner),
            "v14-retry" => new V14RetryDriver(Owner),
            "special-mapping" => new SpecialMappingDriver(Owner),
            "map-droppable" => new MapDroppableDriver(Owner),
            "libc" => new LibcDriver(Owner),
            _ => throw new ArgumentException($"unknown design '{design}'", nameof(design)),
        };
        _hog = new MemoryHog(Machine);
        _ownerCost = new CostMeter(Machine);
        var (num, size) = _driver.TakesArgPointers ? StackWords() : (0UL, 0UL);
        var allocated = default(SysResult<ulong>);
        _ownerCost.Wrap(() => allocated = _driver.Allocate(states, num, size))();
        States = allocated.Value;
        _droppedBefore = Machine.Stats.PagesReclaimed - Machine.Stats.PagesSwappedOut;
        _swappedBefore = Machine.Stats.PagesSwappedOut;
        _program = new OwnerProgram(Pages);
        Actors =
        [
            new Actor("owner",
            [
                OwnerStep("fill states with keys"),
                OwnerStep("mlock(states)"),
                OwnerStep("rekey states"),
                OwnerStep("use states"),
            ]),
            new Actor("forker",
            [
                Checked("fork(); the child reads its copy of the states", ForkAndRead, Footprint.Writing("mm:app", "mm:child", "frames")),
                Checked("core dump of the app", Dump, Footprint.Writing("mm:app", "frames")),
            ]),
            new Actor("pressure",
            [
                Checked("hog: mmap(MAP_LOCKED|MAP_POPULATE) all memory", () => LastOutcome = _hog.Squeeze(),
                    Footprint.Writing("frames", "mm:app", "mm:child", "mm:hog")),
                Checked("hog: munmap", () => LastOutcome = _hog.Release(), Footprint.Writing("frames", "mm:hog")),
            ]),
        ];
    }

    public static IReadOnlyList<int> StepsPerActor => [4, 2, 2];

    public Machine Machine { get; }

    public Process Owner { get; }

    public Process Hog => _hog.Process;

    /// <summary>The first state.</summary>
    public ulong States { get; }

    /// <summary>Pages holding the states.</summary>
    public int Pages { get; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    /// <summary>The owner's two words for vgetrandom_alloc: its stack, resident and locked (never part of the race).</summary>
    private (ulong Num, ulong Size) StackWords()
    {
        var mm = Owner.Mm!;
        var stack = mm.MmapAnonymous(0, 2 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked).Value;
        return (stack, stack + Page.Size);
    }

    private ulong PageAddress(int page) => States + ((ulong)page * Page.Size);

    private Step OwnerStep(string label)
    {
        var index = _ownerSteps++;
        return Checked(label, _ownerCost.Wrap(() => RunOwner(_program.StepEnds[index])), Footprint.Writing("mm:app", "frames"));
    }

    /// <summary>Every step ends with the swap device scanned for key material.</summary>
    private Step Checked(string label, Action body, Footprint footprint) => new(label, () =>
    {
        body();
        ScanSwap();
    }, footprint);

    /// <summary>Runs the owner's program up to <paramref name="end"/>; a write stuck retrying its fault holds it there.</summary>
    private void RunOwner(int end)
    {
        if (Owner.State != ProcessState.Running)
        {
            LastOutcome = "dead";
            return;
        }

        var done = 0;
        _lockOutcome = null;
        while (_cursor < end || (_finished && _cursor < _program.Ops.Count))
        {
            var op = _program.Ops[_cursor];
            if (!Execute(op))
            {
                LastOutcome = Owner.State == ProcessState.Running
                    ? string.Create(CultureInfo.InvariantCulture, $"stuck retrying the write to state page {op.Page}")
                    : "OOM-killed";
                return;
            }

            _cursor++;
            done++;
            if (op.Kind == OwnerOpKind.Fill && _cursor == _program.FillEnd)
            {
                _resident = ResidentStatePages();
            }
        }

        LastOutcome = _lockOutcome ?? string.Create(CultureInfo.InvariantCulture, $"{done} ops done");
    }

    /// <summary>One op; false when the owner cannot get past it (stuck on a fault, or dead).</summary>
    private bool Execute(OwnerOp op)
    {
        switch (op.Kind)
        {
            case OwnerOpKind.Lock:
                var locked = _driver.Lock(States, (ulong)Pages * Page.Size);
                _lockOutcome = locked.IsOk ? "mlock: 0" : $"mlock: -{locked.Error}";
                return true;
            case OwnerOpKind.Use:
                Use(op.Page);
                return Owner.State == ProcessState.Running;
            default:
                return Write(op.Page, KeyMaterial.Key(op.Kind == OwnerOpKind.Rekey, op.Page));
        }
    }

    private bool Write(int page, ulong key)
    {
        var address = PageAddress(page);
        var result = _driver.Store(address, key);
        _oomKills += result.OomVictim is null ? 0 : 1;
        switch (result.Outcome)
        {
            case StoreOutcome.Retrying:
                _retries++;
                return false;
            case StoreOutcome.Killed:
                _harms.Add("the owner was OOM-killed while writing its state");
                return false;
            case StoreOutcome.Faulted:
                _harms.Add($"the owner crashed writing state page {page} (-{result.Error})");
                return false;
        }

        // Ground truth: the program went on; is the key really in the page?
        if (MemoryValue(address) != key)
        {
            _harms.Add($"the write of a new key to state page {page} was lost silently (memory holds {MemoryValue(address):x})");
        }

        return true;
    }

    /// <summary>The owner reads a state: a key it wrote, zero (dropped: the vDSO falls back to the syscall), or worse.</summary>
    private void Use(int page)
    {
        var address = PageAddress(page);
        var read = Owner.Load(address);
        while (read.Error == Errno.ENOMEM && Machine.OutOfMemory() is { } victim)
        {
            _oomKills++;
            if (ReferenceEquals(victim, Owner))
            {
                _harms.Add("the owner was OOM-killed while reading its state");
                return;
            }

            read = Owner.Load(address);
        }

        var value = read.ValueOrDefault;
        if (value == 0)
        {
            _zeroed++;
        }
        else if (value == KeyMaterial.Key(second: false, page))
        {
            _harms.Add($"the owner reused the old key of state page {page}: its rekey never reached memory");
        }
    }

    /// <summary>What the page really holds, from the page table and the frame (0 when nothing is mapped).</summary>
    private ulong MemoryValue(ulong address)
    {
        var pte = Owner.Mm!.PageTable.Get(Page.ToVpn(address));
        return Pte.IsPresent(pte) ? Machine.Frames.Content(Pte.Index(pte)) : 0;
    }

    private long ResidentStatePages()
    {
        long resident = 0;
        for (var p = 0; p < Pages; p++)
        {
            resident += Pte.IsPresent(Owner.Mm!.PageTable.Get(Page.ToVpn(PageAddress(p)))) ? 1 : 0;
        }

        return resident;
    }

    /// <summary>Another thread of the app forks; the child's first act is to read the states it inherited.</summary>
    private void ForkAndRead()
    {
        var forked = Machine.Fork(Owner);
        if (!forked.IsOk)
        {
            LastOutcome = $"-{forked.Error}";
            return;
        }

        var child = forked.Value;
        var seen = 0;
        for (var p = 0; p < Pages; p++)
        {
            if (child.Load(PageAddress(p)) is { IsOk: true } read && KeyMaterial.IsKey(read.Value))
            {
                seen++;
                _harms.Add($"the child read a key from state page {p}");
            }
        }

        LastOutcome = string.Create(CultureInfo.InvariantCulture, $"child {child.Pid} saw {seen} keys");
    }

    private void Dump()
    {
        var dump = Machine.CoreDump(Owner);
        if (!dump.IsOk)
        {
            LastOutcome = $"-{dump.Error}";
            return;
        }

        var keys = dump.Value.Segments.Sum(static s => s.Pages.Count(KeyMaterial.IsKey));
        if (keys > 0)
        {
            _harms.Add(string.Create(CultureInfo.InvariantCulture, $"the core dump holds {keys} key page(s)"));
        }

        LastOutcome = string.Create(CultureInfo.InvariantCulture, $"{dump.Value.PagesRead} pages dumped");
    }

    private void ScanSwap()
    {
        if (!_swapLeaked && KeyMaterial.OnSwap(Machine.Swap))
        {
            _swapLeaked = true;
            _harms.Add("a key was written to the swap device");
        }
    }

    /// <summary>After every actor is done, memory is free again: a writer still retrying its fault gets through and
    /// finishes its program (Donenfeld: "eventually it succeeds").</summary>
    private void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_cursor < _program.Ops.Count && Owner.State == ProcessState.Running)
        {
            _ownerCost.Wrap(() => RunOwner(_program.Ops.Count))();
            ScanSwap();
        }
    }

    public IReadOnlyList<string> Harms()
    {
        Finish();
        return _harms;
    }

    public Measurement Measure()
    {
        Finish();
        var owner = _ownerCost.Totals().ToDictionary(static p => p.Key, static p => p.Value);
        var stats = Machine.Stats;
        return new Measurement(
        [
            new("syscalls", owner["syscalls"]),
            new("page_faults", owner["page_faults"]),
            new("pages_dropped", stats.PagesReclaimed - stats.PagesSwappedOut - _droppedBefore),
            new("pages_swapped", stats.PagesSwappedOut - _swappedBefore),
            new("memory_charged", Math.Max(_resident, 0)),
            new("oom_kills", _oomKills),
            new("fault_retries", _retries),
            new("states_zeroed", _zeroed),
        ]);
    }
}
