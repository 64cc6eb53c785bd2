using System.Collections.Concurrent;
using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// The one destructive remote reclaim mainline kept (PROPOSALS.md §2.5): a low-memory killer sends SIGKILL to a victim
/// and frees its memory at once instead of waiting for the victim to be scheduled and run its exit. The victim (uid
/// 1000, a private heap of <c>pages</c> pages registered with its userfaultfd, which the killer holds) writes and forks
/// a helper; a step it runs with SIGKILL pending is its exit. Judged from ground truth: how many pages the reclaim call
/// itself freed before the exit, and whether pages it believed freed stayed resident (shared with the helper).
/// </summary>
public sealed class KillReapWorld : IRaceRun, IHasMachine
{
    private const ulong HeapBase = 0x30000000UL;
    private static readonly Footprint TouchesVictim = Footprint.Writing("mm:victim", "task:victim");
    private static readonly ConcurrentDictionary<string, Credentials> KillerCredentials = new();
    private readonly string _design;
    private readonly CostMeter _cost;
    private readonly ZapLedger _ledger;
    private readonly Pidfd _pidfd;
    private readonly int _uffd;
    private bool _exited;

    public KillReapWorld(string design, int pages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        _design = design is "process-mrelease" or "process-madvise-dontneed" or "uffd-zap" or "hint-only"
            ? design
            : throw new ArgumentException($"design '{design}' cannot reap a dying process", nameof(design));
        Machine = new Machine(new MachineConfig { Frames = (4 * pages) + 256, SwapSlots = (2 * pages) + 64 });
        Killer = Machine.Spawn(KillerCredentials.GetOrAdd(design, static d => Credentials.User(1000).With(
            LabCatalog.DesignsOf("remote-zap").FirstOrDefault(p => p.Design == d)?.Calls
                .SelectMany(static c => c.Capabilities).Distinct().ToArray() ?? [])), "lmkd").Value;
        Victim = Machine.Spawn(Credentials.User(1000), "victim").Value;
        Pages = pages;
        Victim.Mm!.MmapAnonymous(HeapBase, (ulong)pages * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        for (var i = 0; i < pages; i++)
        {
            Victim.Store(HeapBase + ((ulong)i * Page.Size), 0x2000 + (ulong)i);
        }

        var uffd = Machine.Userfaultfd(Victim, UffdFlags.UserModeOnly | UffdFlags.NonBlock).Value;
        Machine.UffdioApi(Victim, uffd, Machine.UffdApiVersion, UffdFeatures.None);
        Machine.UffdioRegister(Victim, uffd, HeapBase, (ulong)pages * Page.Size, UffdRegisterMode.Missing);
        _pidfd = Machine.PidfdOpen(Killer, new Pid(Victim.Pid), 0).Value;
        _uffd = Machine.PidfdGetfd(Killer, _pidfd, uffd, 0).Value;
        _ledger = new ZapLedger(Machine, Victim, HeapBase, pages);
        _cost = new CostMeter(Machine);
        Actors =
        [
            new Actor("lmkd",
            [
                new Step("pidfd_send_signal(SIGKILL)", _cost.Wrap(() => LastOutcome = Show(Kill())), TouchesVictim),
                new Step(ReclaimLabel, _cost.Wrap(() => LastOutcome = Show(Reclaim())), TouchesVictim),
            ]),
            new Actor("victim",
            [
                new Step("victim: store page 0 (or exit if killed)", () => VictimStep(() => Victim.Store(HeapBase, 0xdead)), TouchesVictim),
                new Step("victim: fork a helper (or exit if killed)", () => VictimStep(Fork), TouchesVictim),
            ]),
        ];
    }

    public Machine Machine { get; }

    public Process Killer { get; }

    public Process Victim { get; }

    public int Pages { get; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    private string ReclaimLabel => _design switch
    {
        "process-mrelease" => "process_mrelease(pidfd)",
        "process-madvise-dontneed" => "process_madvise(DONTNEED, every page)",
        "uffd-zap" => "UFFDIO_ZAP(heap)",
        _ => "process_madvise(PAGEOUT, every page)",
    };

    private IoVec Heap => new(HeapBase, (ulong)Pages * Page.Size);

    private SysResult<int> Kill() => _design == "process-mrelease"
        ? new ProcessMreleaseAdapter(Killer).Kill(_pidfd, Machine.SigKill, 0)
        : Machine.PidfdSendSignal(Killer, _pidfd, Machine.SigKill, 0);

    private SysResult<long> Reclaim()
    {
        IoVec[] each = [.. Enumerable.Range(0, Pages).Select(static i => new IoVec(HeapBase + ((ulong)i * Page.Size), Page.Size))];
        return _design switch
        {
            "process-mrelease" => _ledger.Zapping(() =>
            {
                var released = new ProcessMreleaseAdapter(Killer).Release(_pidfd, 0);
                return released.IsOk ? SysResult<long>.Ok(0) : released.Error;
            }),
            "process-madvise-dontneed" => _ledger.Zapping(() => new ProcessMadviseDontneedAdapter(Killer).Zap(_pidfd, each, Advice.DontNeed, 0)),
            "uffd-zap" => _ledger.Zapping(() => new UffdZapAdapter(Killer).Zap(_uffd, Heap, 0)),
            _ => new HintOnlyReclaimAdapter(Killer).Reclaim(_pidfd, each, Advice.PageOut, 0),
        };
    }

    private void VictimStep(Func<SysResult<ulong>> operation)
    {
        if (_exited)
        {
            LastOutcome = "dead";
            return;
        }

        if (Victim.KillPending)
        {
            Exit();
            LastOutcome = "SIGKILL: exit";
            return;
        }

        LastOutcome = Show(operation());
    }

    private void Exit()
    {
        Machine.Exit(Victim);
        _exited = true;
    }

    private SysResult<ulong> Fork()
    {
        var child = Machine.Fork(Victim);
        return child.IsOk ? (ulong)child.Value.Pid : child.Error;
    }

    public IReadOnlyList<string> Harms() => _ledger.Resident;

    public Measurement Measure()
    {
        var counters = new List<KeyValuePair<string, long>>(_cost.Totals())
        {
            new("pages_freed", _ledger.Freed),
            new("resident_after_zap", _ledger.Resident.Count),
        };
        return new Measurement(counters);
    }

    private static string Show<T>(SysResult<T> result) =>
        result.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{result.Value}") : $"-{result.Error}";
}
