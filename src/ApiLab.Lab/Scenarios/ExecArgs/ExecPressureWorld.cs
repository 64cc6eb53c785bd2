using System.Globalization;
using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// An exec of size KiB of arguments, split into its three stages (copy_strings, begin_new_exec, setup_arg_pages),
/// raced against a second process that twice maps and mlocks a chunk as large as the arguments. Memory is sized so
/// that the second chunk only fits if reclaim can free about half the argument pages: with swappable argument pages
/// it can, with pinned ones it cannot. Harms, judged from engine state: the exec failed (Linux 6.18 succeeds on this
/// workload in every interleaving), the new image reads other arguments than it was given, an allocation came up
/// short (OOM) while exec pinned unswappable pages, or reclaim ran while it did.
/// </summary>
public sealed class ExecPressureWorld : IRaceRun, IHasMachine
{
    /// <summary>The arguments and their expected image per (size, stack top), computed once: the explorer builds
    /// thousands of worlds, and both are pure functions of the workload.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Kib, ulong Top), (IReadOnlyList<string> Argv, ExpectedStack Expected)> Inputs = new();

    private readonly ExecDriver _driver;
    private readonly ExecWorkload _workload;
    private readonly IReadOnlyList<string> _argv;
    private readonly ExpectedStack _expected;
    private readonly CostMeter _execCost;
    private readonly Process _pressure;
    private readonly ulong _chunkPages;
    private readonly List<string> _harms = [];
    private StagedExec? _exec;
    private Errno _execError;
    private int _continuations;
    private long _peakPinned;

    public ExecPressureWorld(string design, int kib, ExecWorkload workload)
    {
        _workload = workload;
        (_argv, _expected) = Inputs.GetOrAdd((kib, workload.Options.StackTop), static key =>
        {
            var argv = ExecWorkload.Argv(key.Kib);
            return (argv, new ExpectedStack(ExecWorkload.Filename, argv, ExecWorkload.Envp, key.Top));
        });
        var argPages = (ulong)(kib / 4) + 2;
        var heapPages = Math.Max(4UL, argPages / 4);
        _chunkPages = argPages;
        // Frame 0 (the zero page) + the old image (one stack page, its heap) + both chunks + half the arguments.
        var frames = 1 + 1 + heapPages + (2 * _chunkPages) + (argPages / 2);
        Machine = new Machine(new MachineConfig { Frames = (int)frames, SwapSlots = (int)(4 * (argPages + heapPages)) });
        Execer = Machine.Spawn(Credentials.User(1000), "launcher").Value;
        Execer.Execve(["launcher"], [], ExecOptions.Default with { Filename = "/usr/bin/launcher" });
        var heap = Execer.Mmap(0, heapPages * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        if (heap.IsOk)
        {
            Execer.Store(heap.Value, 0x1a0c4e2);
        }

        if (workload.RoomBelowStack is { } room)
        {
            var stack = Execer.Mm!.Vmas.Find(Execer.Mm.StartStack)!;
            Execer.Mmap(stack.Start - room - Mm.StackGuardGap - Page.Size, Page.Size, Prot.ReadWrite,
                MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace);
        }

        _pressure = Machine.Spawn(Credentials.User(1001), "pressure").Value;
        _driver = new ExecDriver(design, Execer);
        _execCost = new CostMeter(Machine);
        Actors =
        [
            new Actor("execer",
            [
                new Step("execve: copy_strings", _execCost.Wrap(Copy), Footprint.Writing("mm:execer", "memory")),
                new Step("execve: begin_new_exec", _execCost.Wrap(Switch), Footprint.Writing("mm:execer", "memory")),
                new Step("execve: setup_arg_pages", _execCost.Wrap(Setup), Footprint.Writing("mm:execer", "memory")),
            ]),
            new Actor("pressure", workload.Pressure
                ? [
                    new Step("mmap(MAP_LOCKED|MAP_POPULATE) chunk 1", () => Allocate(1), Footprint.Writing("mm:pressure", "memory")),
                    new Step("mmap(MAP_LOCKED|MAP_POPULATE) chunk 2", () => Allocate(2), Footprint.Writing("mm:pressure", "memory")),
                ]
                : []),
        ];
    }

    public Machine Machine { get; }

    public Process Execer { get; }

    public IReadOnlyList<Actor> Actors { get; }

    public string LastOutcome { get; private set; } = "";

    private void Copy()
    {
        var copied = _driver.Copy(_argv, ExecWorkload.Envp, _workload.Options with { Filename = ExecWorkload.Filename });
        _exec = copied.IsOk ? copied.Value : null;
        _execError = copied.Error;
        Sample();
        LastOutcome = copied.IsOk
            ? string.Create(CultureInfo.InvariantCulture, $"{copied.Value.ArgPages} pages ({copied.Value.PinnedPages} pinned)")
            : $"-{copied.Error}";
    }

    private void Switch()
    {
        if (_exec is null)
        {
            LastOutcome = "skipped: execve already failed";
            return;
        }

        _continuations++;
        var switched = _driver.Switch(_exec);
        _execError = switched.Error;
        Sample();
        LastOutcome = switched.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{switched.Value} frames freed") : $"-{switched.Error}";
    }

    private void Setup()
    {
        if (_exec is null || _exec.Stage != ExecStage.PastPointOfNoReturn)
        {
            LastOutcome = "skipped: execve already failed";
            return;
        }

        _continuations++;
        var set = _driver.Setup(_exec);
        _execError = set.Error;
        Sample();
        LastOutcome = set.IsOk ? string.Create(CultureInfo.InvariantCulture, $"stack at 0x{set.Value.StartStack:x}") : $"-{set.Error}";
    }

    /// <summary>The second process maps and locks a chunk; reclaim runs inside it when memory is short.</summary>
    private void Allocate(int chunk)
    {
        var scanned = Machine.Stats.PagesScanned;
        var rss = _pressure.Mm!.RssAnon;
        var mapped = _pressure.Mmap(0, _chunkPages * Page.Size, Prot.ReadWrite,
            MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked | MapFlags.Populate);
        var got = _pressure.Mm.RssAnon - rss;
        var pinned = PinnedFrames();
        if (Machine.Stats.PagesScanned > scanned && pinned > 0)
        {
            _harms.Add(string.Create(CultureInfo.InvariantCulture,
                $"reclaim for chunk {chunk} ran while exec pinned {pinned} unswappable pages"));
        }

        if (got < (long)_chunkPages)
        {
            _harms.Add(string.Create(CultureInfo.InvariantCulture,
                $"OOM: chunk {chunk} got {got} of {_chunkPages} pages while exec pinned {pinned} unswappable pages"));
        }

        LastOutcome = mapped.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{got}/{_chunkPages} pages") : $"-{mapped.Error}";
    }

    /// <summary>Frames in use on no LRU list (ground truth from the frame pool): memory reclaim can never free.</summary>
    private long PinnedFrames()
    {
        var f = Machine.Frames;
        return f.UsedCount - (f.LruSize(false, false) + f.LruSize(false, true) + f.LruSize(true, false)
            + f.LruSize(true, true) + f.UnevictableCount);
    }

    private void Sample() => _peakPinned = Math.Max(_peakPinned, PinnedFrames());

    public IReadOnlyList<string> Harms()
    {
        var harms = new List<string>(_harms);
        if (_exec is not { Stage: ExecStage.Finished })
        {
            harms.Add($"exec failed (-{_execError}) where Linux 6.18 succeeds");
        }
        else if (_expected.Mismatch(Execer) is { } mismatch)
        {
            harms.Add($"argument data corrupted: {mismatch}");
        }

        return harms;
    }

    public Measurement Measure()
    {
        var totals = _execCost.Totals().ToDictionary(static p => p.Key, static p => p.Value);
        return new Measurement(
        [
            new("syscalls", totals.GetValueOrDefault("syscalls") - _continuations),
            new("page_table_moves", _exec?.StackMoves ?? 0),
            new("ptes_moved", _exec?.PtesMoved ?? 0),
            new("tlb_flushes", totals.GetValueOrDefault("tlb_flushes")),
            new("remote_gup", _exec?.RemoteGupCalls ?? 0),
            new("pages_copied", _exec?.ArgPages ?? 0),
            new("bytes_copied", _exec?.BytesCopied ?? 0),
            new("pinned_pages", _peakPinned),
            new("pages_swapped_in", _exec?.PagesSwappedIn ?? 0),
        ]);
    }
}
