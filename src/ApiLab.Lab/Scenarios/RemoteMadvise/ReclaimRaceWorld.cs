using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>
/// The remote-madvise race (seed 000): a manager pages out a cached app's private anonymous memory while the app
/// unmaps its first heap region and maps a fresh one at the same address. The harm is advice landing on a VMA the
/// manager never saw (judged by VMA identity, which the engine never reuses). The target's layout mixes private
/// anonymous heap regions (size = their number), shared anonymous memory and private file mappings.
/// </summary>
public sealed class ReclaimRaceWorld : IRaceRun, IHasMachine
{
    private const ulong HeapBase = 0x10000000UL;

    /// <summary>Per design, computed once: the explorer builds thousands of worlds.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Credentials> ManagerCredentials = new();
    // Built once: the explorer builds a world per schedule, and footprints never change.
    private static readonly Footprint OpenFootprint = Footprint.Reading("pid:app").AndWriting("fds:manager");
    private static readonly Footprint SurveyFootprint = Footprint.Reading("mm:app").AndWriting("fds:manager");
    private static readonly Footprint AdviseFootprint = Footprint.Writing("mm:app", "fds:manager");
    private static readonly Footprint AppFootprint = Footprint.Writing("mm:app");
    private readonly ManagerDriver _driver;
    private readonly AdviceHitRecorder _hits;
    private readonly CostMeter _managerCost;
    private readonly HashSet<ulong> _intended = [];
    private IReadOnlyList<IoVec> _ranges = [];
    private readonly ulong _regionBytes;

    public ReclaimRaceWorld(string design, int vmaCount, int pagesPerVma)
    {
        Machine = new Machine(new MachineConfig { Frames = 1 << 14, SwapSlots = 1 << 15 });
        // The manager holds exactly what the design's spec requires (system_server would be granted it).
        var manager = Machine.Spawn(ManagerCredentials.GetOrAdd(design, static d => Credentials.User(1000).With(
            LabCatalog.DesignsOf("remote-madvise").FirstOrDefault(p => p.Design == d)?.Calls
                .SelectMany(static c => c.Capabilities).Distinct().ToArray() ?? [])), "activitymanager").Value;
        // system_server runs with RLIMIT_NOFILE 32768: the fd-per-VMA design holds one fd per VMA it surveyed.
        manager.Fds.Limit = 32768;
        Target = Machine.Spawn(Credentials.User(1000), "cached_app").Value;
        _regionBytes = (ulong)pagesPerVma * Page.Size;
        Populate(vmaCount);
        _driver = design switch
        {
            "mainline" => new MainlineDriver(manager, Target),
            "cookie" => new CookieDriver(manager, Target),
            "filters" => new FiltersDriver(manager, Target),
            "fd-per-vma" => new FdPerVmaDriver(manager, Target),
            "procmap-query" => new ProcmapQueryDriver(manager, Target),
            _ => throw new ArgumentException($"unknown design '{design}'", nameof(design)),
        };
        _hits = new AdviceHitRecorder(Target.Mm!);
        Machine.Observer = _hits;
        _managerCost = new CostMeter(Machine);
        Actors =
        [
            new Actor("manager",
            [
                new Step("pidfd_open(app)", _managerCost.Wrap(() => Report(_driver.Open())),
                    OpenFootprint),
                new Step("survey layout", _managerCost.Wrap(Survey), SurveyFootprint),
                new Step("advise PAGEOUT", _managerCost.Wrap(() => Report(_driver.Advise(_ranges, Advice.PageOut))),
                    AdviseFootprint),
            ]),
            new Actor("app",
            [
                new Step("munmap(heap[0])", () => Report(Target.Munmap(HeapBase, _regionBytes)), AppFootprint),
                new Step("mmap(heap[0], MAP_FIXED) + write", Remap, AppFootprint),
            ]),
        ];
    }

    public Machine Machine { get; }

    public Process Target { get; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    public long BytesAdvised { get; private set; }

    public Errno AdviseError { get; private set; }

    public static IReadOnlyList<int> StepsPerActor => [3, 2];

    private void Populate(int vmaCount)
    {
        var mm = Target.Mm!;
        for (var i = 0; i < vmaCount; i++)
        {
            // One guard page between regions keeps them separate VMAs, as distinct allocations are in a real heap.
            var start = HeapBase + ((ulong)i * (_regionBytes + Page.Size));
            mm.MmapAnonymous(start, _regionBytes, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            for (var a = start; a < start + _regionBytes; a += Page.Size)
            {
                Target.Store(a, ((ulong)i << 32) | (a >> Page.Shift));
            }
        }

        // Shared memory (an ashmem stand-in) that the reclaimer must leave alone.
        var shared = mm.MmapAnonymous(0, 4 * Page.Size, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous).Value;
        Target.Store(shared, 0xa5);

        // File-backed mappings beside the heap, one per four heap regions, as an app maps its libraries and dex files
        // (PROPOSALS 1.1: the reclaimer wants anonymous memory; file pages are the filter designs' other class). A
        // memfd stands in for the file (a regular file's page cache works the same way here).
        var files = Math.Max(1, vmaCount / 4);
        var fd = Machine.MemfdCreate(Target, "app.odex", 0).Value;
        Machine.Ftruncate(Target, fd, (long)files * 2 * (long)Page.Size);
        for (var f = 0; f < files; f++)
        {
            Target.Mmap(0, 2 * Page.Size, Prot.Read, MapFlags.Private, fd, (ulong)f * 2 * Page.Size);
        }
    }

    private void Survey()
    {
        var survey = _driver.Survey();
        if (survey.IsOk)
        {
            _ranges = survey.Value;
            // Ground truth at the instant of the snapshot: the identities of the VMAs those ranges named.
            foreach (var range in _ranges)
            {
                for (var vma = Target.Mm!.Vmas.FindFirstEndingAbove(range.Base); vma is not null && vma.Start < range.End;
                     vma = Target.Mm.Vmas.FindFirstEndingAbove(vma.End))
                {
                    _intended.Add(vma.Id);
                }
            }
        }

        LastOutcome = survey.IsOk ? $"{_ranges.Count} ranges" : $"-{survey.Error}";
    }

    private void Remap()
    {
        var mapped = Target.Mmap(HeapBase, _regionBytes, Prot.ReadWrite,
            MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        if (mapped.IsOk)
        {
            Target.Store(HeapBase, 0x5ec12e7);
        }

        Report(mapped);
    }

    private void Report<T>(SysResult<T> result)
    {
        if (result is SysResult<long> advised)
        {
            BytesAdvised = advised.ValueOrDefault;
            AdviseError = advised.Error;
        }

        LastOutcome = !result.IsOk ? $"-{result.Error}"
            : result.Value is ulong address ? string.Create(CultureInfo.InvariantCulture, $"0x{address:x}")
            : string.Create(CultureInfo.InvariantCulture, $"{result.Value}");
    }

    private bool Unintended((ulong VmaId, Advice Advice, ulong Start, ulong End) hit) =>
        Target.Mm?.Vmas.Find(hit.Start) is not { } vma || vma.Id != hit.VmaId
            ? !_intended.Contains(hit.VmaId)
            : !_driver.Intends(vma, _intended);

    public IReadOnlyList<string> Harms() =>
        [.. _hits.Hits.Where(Unintended)
            .Select(h => $"{h.Advice} hit vma#{h.VmaId} [{h.Start:x}-{h.End:x}), which the manager never saw")];

    public Measurement Measure()
    {
        var counters = new List<KeyValuePair<string, long>>(_managerCost.Totals())
        {
            new("bytes_advised", BytesAdvised),
            new("wrong_vma_hits", _hits.Hits.Count(Unintended)),
        };
        return new Measurement(counters);
    }
}
