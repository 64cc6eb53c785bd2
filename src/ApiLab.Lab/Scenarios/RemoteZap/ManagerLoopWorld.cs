using System.Collections.Concurrent;
using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// Seed 001's userspace memory manager against a target that keeps writing. The target ("app", uid 1000) has a
/// private anonymous heap of <c>pages</c> pages registered MISSING | WP with its own userfaultfd, which the manager
/// ("pager", uid 1000, holding what the design's spec requires) took with pidfd_getfd; the manager keeps its "swap" in
/// its own memory. The app's program: store to page 0, fork a helper, store to the last page. After the steps the run
/// is finished (the manager keeps serving faults, the app completes its program), then judged from ground truth: the
/// app reads every page back and must see what it last wrote (else a lost write), and every page a zap unmapped must
/// have had its frame freed (else the manager believes freed a page that is still resident).
/// </summary>
public sealed class ManagerLoopWorld : IRaceRun, IHasMachine
{
    internal const ulong HeapBase = 0x20000000UL;
    internal const ulong MailboxBase = 0x1f000000UL;
    internal const ulong FirstWrite = 0xa11ce;
    internal const ulong SecondWrite = 0xb0b;

    /// <summary>Every manager step and every app step touches the app's mm and the userfaultfd's queues.</summary>
    internal static readonly Footprint TouchesTarget = Footprint.Writing("mm:app", "uffd");

    private static readonly ConcurrentDictionary<string, Credentials> ManagerCredentials = new();
    private readonly PagerDriver _driver;
    private readonly CostMeter _cost;
    private readonly ulong[] _expected;
    private readonly ZapLedger _ledger;
    private readonly List<Func<SysResult<ulong>>> _program;
    private readonly List<string> _programLabels;
    private List<string>? _harms;
    private int _next;
    private bool _asleep;
    private long _sleeps;
    private long _lost;

    public ManagerLoopWorld(string design, int pages, bool protect)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        Pages = pages;
        Machine = new Machine(new MachineConfig { Frames = (4 * pages) + 256, SwapSlots = (2 * pages) + 64 });
        Manager = Machine.Spawn(ManagerCredentials.GetOrAdd(design, static d => Credentials.User(1000).With(
            LabCatalog.DesignsOf("remote-zap").FirstOrDefault(p => p.Design == d)?.Calls
                .SelectMany(static c => c.Capabilities).Distinct().ToArray() ?? [])), "pager").Value;
        Target = Machine.Spawn(Credentials.User(1000), "app").Value;
        _expected = new ulong[pages];
        _ledger = new ZapLedger(Machine, Target, HeapBase, pages);
        SetUp();
        _driver = design switch
        {
            "process-madvise-dontneed" => new ProcessMadviseDontneedPager(this, protect),
            "uffd-zap" => new UffdZapPager(this, protect),
            "hint-only" => new HintOnlyPager(this),
            "cooperative" => new CooperativePager(this),
            _ => throw new ArgumentException($"design '{design}' cannot run the manager loop", nameof(design)),
        };
        _cost = new CostMeter(Machine);
        var last = Page.ToAddress(Page.ToVpn(HeapBase) + (ulong)(pages - 1));
        _program = [() => StoreTracked(HeapBase, FirstWrite), Fork, () => StoreTracked(last, SecondWrite)];
        _programLabels = ["store page 0", "fork a helper", $"store page {pages - 1}"];
        Actors =
        [
            new Actor("pager", [.. _driver.Steps.Select(s => new Step(s.Label, _cost.Wrap(() => LastOutcome = s.Run()), s.Footprint))]),
            // A step runs the app's next operation, or retries the one it sleeps in: the outcome says which.
            new Actor("app", [.. _programLabels.Select(_ => new Step($"app: next of [{string.Join(", ", _programLabels)}]", TargetStep, TouchesTarget))]),
        ];
    }

    public Machine Machine { get; }

    public Process Manager { get; }

    public Process Target { get; }

    public int Pages { get; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    internal Pidfd Pidfd { get; private set; }

    internal int ManagerUffd { get; private set; }

    internal ulong Swap { get; private set; }

    /// <summary>A word in the manager's memory holding the cooperative eviction request.</summary>
    internal ulong RequestWord { get; private set; }

    internal IoVec HeapRange => new(HeapBase, (ulong)Pages * Page.Size);

    /// <summary>Each heap page as its own range: the pages a manager picks one by one (cold pages are rarely contiguous).</summary>
    internal IoVec[] EachPage { get; private set; } = [];

    /// <summary>The value page <paramref name="i"/> starts with.</summary>
    internal static ulong Initial(int i) => 0x1000 + (ulong)i;

    private void SetUp()
    {
        var mm = Target.Mm!;
        mm.MmapAnonymous(HeapBase, HeapRange.Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        for (var i = 0; i < Pages; i++)
        {
            Target.Store(HeapBase + ((ulong)i * Page.Size), Initial(i));
            _expected[i] = Initial(i);
        }

        mm.MmapAnonymous(MailboxBase, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        Target.Store(MailboxBase, 0);
        EachPage = [.. Enumerable.Range(0, Pages).Select(static i => new IoVec(HeapBase + ((ulong)i * Page.Size), Page.Size))];

        // The target's library (LD_PRELOAD, seed 001's "some level of cooperation") creates and registers the uffd.
        var uffd = Machine.Userfaultfd(Target, UffdFlags.UserModeOnly | UffdFlags.NonBlock).Value;
        Machine.UffdioApi(Target, uffd, Machine.UffdApiVersion, UffdFeatures.None);
        Machine.UffdioRegister(Target, uffd, HeapBase, HeapRange.Length, UffdRegisterMode.Missing | UffdRegisterMode.Wp);
        Pidfd = Machine.PidfdOpen(Manager, new Pid(Target.Pid), 0).Value;
        ManagerUffd = Machine.PidfdGetfd(Manager, Pidfd, uffd, 0).Value;
        Swap = Manager.Mm!.MmapAnonymous(0, HeapRange.Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        RequestWord = Manager.Mm.MmapAnonymous(0, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        Manager.Store(RequestWord, 1);
    }

    /// <summary>Seed 001 steps 2-3: the whole heap into the manager's swap.</summary>
    internal SysResult<long> ReadOut() =>
        Machine.ProcessVmReadv(Manager, new Pid(Target.Pid), [new IoVec(Swap, HeapRange.Length)], [HeapRange], 0);

    /// <summary>
    /// The manager's fault handler: reads one message; a page fault on a missing page is filled with UFFDIO_COPY from the
    /// swap, one on a present (write-protected) page is resolved by unprotecting it. Either wakes the app.
    /// </summary>
    internal string ServeOne()
    {
        var message = Machine.UffdRead(Manager, ManagerUffd);
        if (!message.IsOk)
        {
            return $"read(uffd): -{message.Error}";
        }

        if (message.Value.Event != UffdEventType.Pagefault)
        {
            return $"read(uffd): {message.Value.Event}";
        }

        var page = Page.AlignDown(message.Value.Address);
        var copy = Machine.UffdioCopy(Manager, ManagerUffd, page, Swap + (page - HeapBase), Page.Size, UffdCopyMode.None, out _);
        if (copy.Error == Errno.EEXIST)
        {
            var unprotect = Machine.UffdioWriteprotect(Manager, ManagerUffd, page, Page.Size, UffdWriteprotectMode.None);
            return string.Create(CultureInfo.InvariantCulture, $"fault at 0x{page:x}: unprotect {(unprotect.IsOk ? "ok" : "-" + unprotect.Error)}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"fault at 0x{page:x}: UFFDIO_COPY {(copy.IsOk ? "ok" : "-" + copy.Error)}");
    }

    /// <summary>Runs a zap and records which pages it unmapped and whether their frames were freed.</summary>
    internal SysResult<T> Zapping<T>(Func<SysResult<T>> zap) => _ledger.Zapping(zap);

    /// <summary>One step of the app: its library's safe point (when the app is not asleep), then its next operation,
    /// or the retry of the one it sleeps in.</summary>
    private void TargetStep()
    {
        if (Target.UffdWait is null)
        {
            _cost.Wrap(_driver.AtSafePoint)();
        }

        LastOutcome = RunNextOperation();
    }

    private string RunNextOperation()
    {
        if (_next >= _program.Count)
        {
            return "program done";
        }

        var retry = _asleep ? "retry " : "";
        var result = _program[_next]();
        if (result.Error == Errno.ERESTARTSYS)
        {
            if (!_asleep)
            {
                _sleeps++;
            }

            _asleep = true;
            return $"{retry}{_programLabels[_next]}: asleep in a userfault";
        }

        _asleep = false;
        var label = _programLabels[_next++];
        return result.IsOk
            ? string.Create(CultureInfo.InvariantCulture, $"{retry}{label}: 0x{result.Value:x}")
            : $"{retry}{label}: -{result.Error}";
    }

    private SysResult<ulong> StoreTracked(ulong address, ulong value)
    {
        var stored = Target.Store(address, value);
        if (stored.IsOk)
        {
            _expected[(int)((address - HeapBase) >> Page.Shift)] = value;
        }

        return stored;
    }

    private SysResult<ulong> Fork()
    {
        var child = Machine.Fork(Target);
        return child.IsOk ? (ulong)child.Value.Pid : child.Error;
    }

    public IReadOnlyList<string> Harms()
    {
        Judge();
        return _harms!;
    }

    public Measurement Measure()
    {
        Judge();
        var counters = new List<KeyValuePair<string, long>>(_cost.Totals())
        {
            new("pages_freed", _ledger.Freed),
            new("resident_after_zap", _ledger.Resident.Count),
            new("lost_writes", _lost),
            new("userfault_sleeps", _sleeps),
        };
        return new Measurement(counters);
    }

    /// <summary>
    /// Finishes the run, then judges it. First (metered, it is the manager's work): the manager serves every fault the
    /// app sleeps in while the app completes its program. Then (not metered, it is the judge's): the app reads every
    /// page, faults served the same way, and each value is compared with what the app last wrote there.
    /// </summary>
    private void Judge()
    {
        if (_harms is not null)
        {
            return;
        }

        for (var guard = 0; _next < _program.Count && guard < 4 * (_program.Count + 1); guard++)
        {
            if (Target.UffdWait is not null)
            {
                _cost.Wrap(() => ServeOne())();
            }

            TargetStep();
        }

        var harms = new List<string>();
        if (_next < _program.Count)
        {
            harms.Add($"the app never finished its program: asleep in '{_programLabels[_next]}'");
        }

        for (var i = 0; i < Pages; i++)
        {
            var read = ReadBack(HeapBase + ((ulong)i * Page.Size));
            if (!read.IsOk)
            {
                harms.Add($"the app cannot read page {i} back: -{read.Error}");
            }
            else if (read.Value != _expected[i])
            {
                _lost++;
                harms.Add(string.Create(CultureInfo.InvariantCulture,
                    $"lost write: page {i} reads 0x{read.Value:x}, the app last wrote 0x{_expected[i]:x}"));
            }
        }

        harms.AddRange(_ledger.Resident);
        _harms = harms;
    }

    private SysResult<ulong> ReadBack(ulong address)
    {
        var read = Target.Load(address);
        for (var guard = 0; read.Error == Errno.ERESTARTSYS && guard < 4; guard++)
        {
            ServeOne();
            read = Target.Load(address);
        }

        return read;
    }
}
