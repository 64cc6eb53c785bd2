using System.Globalization;
using ApiLab.Fidelity.Format;

namespace ApiLab.Fidelity.Running;

/// <summary>
/// Runs a trace on one backend: resolves names to numbers, calls the backend, and writes the canonical log, turning
/// numbers back into names (an address as the nearest name at or below it plus an offset in pages).
/// </summary>
public sealed class TraceInterpreter
{
    /// <summary>PIDFD_SELF (6.15): names the calling thread without an fd.</summary>
    public const int PidfdSelf = -10000;

    private readonly ITraceTarget _target;
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal) { [Trace.FirstProcess] = 0 };
    private readonly Dictionary<string, ulong> _addresses = new(StringComparer.Ordinal);
    private readonly List<string> _addressOrder = [];
    private readonly Dictionary<string, int> _fds = new(StringComparer.Ordinal);
    private readonly List<(ulong Start, ulong End)> _regions = [];
    private readonly List<string> _log = [];
    private string? _unsupported;
    private int _nextSlot = 1;

    private TraceInterpreter(ITraceTarget target) => _target = target;

    public static TraceLog Run(Trace trace, ITraceTarget target)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(target);
        var interpreter = new TraceInterpreter(target);
        foreach (var op in trace.Ops)
        {
            interpreter.Execute(op);
        }

        return new TraceLog(target.Name, interpreter._log, interpreter._unsupported);
    }

    private void Execute(TraceOp op)
    {
        var head = $"{op.Line.ToString(CultureInfo.InvariantCulture),3} {(op.Bind is null ? "" : op.Bind + " = ")}{op.Process}: {op.Describe()}";
        if (!_slots.TryGetValue(op.Process, out var slot))
        {
            _log.Add($"{head} = unresolved: '{op.Process}' has no value (the call that names it failed)");
            return;
        }

        if (op is MapsOp)
        {
            Maps(head, slot);
            return;
        }

        string result;
        try
        {
            result = Render(op, Call(op, slot));
        }
        catch (UnresolvedNameException e)
        {
            result = $"unresolved: '{e.Message}' has no value (the call that names it failed)";
        }

        _log.Add($"{head} = {result}");
    }

    private Raw Call(TraceOp op, int slot) => op switch
    {
        MmapOp m => _target.Mmap(slot, Resolve(m.Address), m.Length, m.Prot, m.Flags, m.File is null ? -1 : Fd(m.File), m.Offset),
        MemfdCreateOp m => _target.MemfdCreate(slot, m.Name),
        FtruncateOp m => _target.Ftruncate(slot, Fd(m.Fd), m.Length),
        OpenTmpfileOp m => _target.OpenTmpfile(slot, m.Name),
        MsyncOp m => _target.Msync(slot, Resolve(m.Address), m.Length, m.Flags),
        FsyncOp m => _target.Fsync(slot, Fd(m.Fd)),
        KillOp m => _target.Kill(slot, Pid(m.Target), m.Signal),
        SetpgidOp m => _target.Setpgid(slot, Pid(m.Target), Pid(m.Group)),
        SetsidOp => _target.Setsid(slot),
        GetpgidOp m => _target.Getpgid(slot, Pid(m.Target), m.Session),
        MunmapOp m => _target.Munmap(slot, Resolve(m.Address), m.Length),
        MprotectOp m => _target.Mprotect(slot, Resolve(m.Address), m.Length, m.Prot),
        MadviseOp m => _target.Madvise(slot, Resolve(m.Address), m.Length, m.Advice),
        MremapOp m => _target.Mremap(slot, Resolve(m.Address), m.OldLength, m.NewLength, m.Flags, Resolve(m.NewAddress)),
        LoadOp m => _target.Load(slot, Resolve(m.Address)),
        StoreOp m => _target.Store(slot, Resolve(m.Address), m.Value),
        ForkOp => _target.Fork(slot, _nextSlot),
        ExitOp => _target.Exit(slot),
        SetUidOp m => _target.SetUid(slot, m.Uid),
        SetDumpableOp m => _target.SetDumpable(slot, m.Value),
        PidfdOpenOp m => _target.PidfdOpen(slot, _target.PidOf(Slot(m.Target)), m.Flags),
        CloseOp m => _target.Close(slot, Fd(m.Fd)),
        ProcessMadviseOp m => _target.ProcessMadvise(slot, Fd(m.Fd), Resolve(m.Ranges), m.Advice, m.Flags),
        MsealOp m => _target.Mseal(slot, Resolve(m.Address), m.Length, m.Flags),
        MlockOp m => _target.Mlock(slot, Resolve(m.Address), m.Length, m.Unlock),
        ExecOp m => _target.Exec(slot, m.Args),
        UserfaultfdOp m => _target.Userfaultfd(slot, m.Flags, m.Features),
        UffdIoctlOp m => _target.UffdIoctl(slot, m.Call, Fd(m.Fd), Resolve(m.Address), m.Length, Resolve(m.Source), m.Mode),
        UffdReadOp m => _target.UffdRead(slot, Fd(m.Fd)),
        ProcessVmOp m => _target.ProcessVm(slot, m.Write, _target.PidOf(Slot(m.Target)), Resolve(m.Local), Resolve(m.Remote), m.Flags),
        _ => Raw.Unsupported($"no backend call for {op.GetType().Name}"),
    };

    /// <summary>A pid operand: a process's pid, <c>-PROCESS</c> (that pid negated: its group, for kill) or 0.</summary>
    private int Pid(string operand) => operand switch
    {
        "0" => 0,
        ['-', .. var name] => -_target.PidOf(Slot(name)),
        _ => _target.PidOf(Slot(operand)),
    };

    /// <summary>A group or session id as the trace process whose pid it is (the pid numbers differ between backends),
    /// or <c>outside</c> for an id no trace process has: the runner's own group and session.</summary>
    private string ProcessWithPid(long id)
    {
        foreach (var (name, slot) in _slots)
        {
            if (_target.PidOf(slot) == id)
            {
                return name;
            }
        }

        return "outside";
    }

    private string Render(TraceOp op, Raw raw)
    {
        switch (raw.Kind)
        {
            case RawKind.Unsupported:
                _unsupported ??= $"line {op.Line}: {raw.Reason}";
                return $"unsupported: {raw.Reason}";
            case RawKind.Errno:
                return "-" + ErrnoName((int)raw.Value);
            case RawKind.Signal:
                return raw.Value switch { 11 => "SIGSEGV", 7 => "SIGBUS", _ => $"signal {raw.Value}" };
        }

        switch (op)
        {
            case MmapOp m:
                Bind(m.Bind, raw.Value, m.Length);
                return m.Bind ?? "ok";
            case MremapOp m:
                var same = raw.Value == Resolve(m.Address);
                Bind(m.Bind, raw.Value, m.NewLength);
                _regions.Add((raw.Value, raw.Value + m.NewLength));
                return same ? "same" : "moved";
            case LoadOp:
                return "0x" + raw.Value.ToString("x", CultureInfo.InvariantCulture);
            case ForkOp f:
                _slots[f.Bind!] = _nextSlot++;
                return f.Bind!;
            case PidfdOpenOp or UserfaultfdOp or MemfdCreateOp or OpenTmpfileOp:
                if (op.Bind is not null)
                {
                    _fds[op.Bind] = (int)raw.Value;
                }

                return "fd";
            case UffdReadOp:
                return UffdEvent(raw.Value);
            case SetsidOp or GetpgidOp:
                return ProcessWithPid((long)raw.Value);
            case ProcessMadviseOp or ProcessVmOp or UffdIoctlOp { Call: "uffd_copy" or "uffd_zeropage" }:
                return raw.Value.ToString(CultureInfo.InvariantCulture);
            default:
                return "0";
        }
    }

    private void Maps(string head, int slot)
    {
        var lines = _target.Maps(slot);
        if (lines is null)
        {
            _log.Add($"{head} = -ESRCH");
            return;
        }

        // Each line is written relative to the name at or below its start (its end relative to the same name), and
        // lines are ordered by that name's definition, then offset: where the kernel put unrelated regions relative
        // to each other (which hole a moved mapping landed in) does not show.
        var shown = lines.Where(l => _regions.Any(r => l.Start < r.End && r.Start < l.End))
            .Select(l => (Line: l, Base: BaseOf(l.Start)))
            .OrderBy(x => x.Base is null ? -1 : _addressOrder.IndexOf(x.Base))
            .ThenBy(x => x.Line.Start - (x.Base is null ? 0 : _addresses[x.Base]))
            .ToList();
        _log.Add($"{head} = {shown.Count.ToString(CultureInfo.InvariantCulture)} vmas");
        foreach (var (line, name) in shown)
        {
            var suffix = line.Name.Length == 0 ? "" : " " + line.Name;
            _log.Add($"      {Relative(name, line.Start)}..{Relative(name, line.End)} {line.Perms}{suffix}");
        }
    }

    private void Bind(string? name, ulong value, ulong length)
    {
        _regions.Add((value, value + length));
        if (name is null)
        {
            return;
        }

        if (!_addresses.ContainsKey(name))
        {
            _addressOrder.Add(name);
        }

        _addresses[name] = value;
    }

    /// <summary>A userfaultfd message as address | event | flags &lt;&lt; 8, written with names.</summary>
    private string UffdEvent(ulong encoded)
    {
        var name = (encoded & 0xff) switch
        {
            0x12 => "PAGEFAULT",
            0x13 => "FORK",
            0x14 => "REMAP",
            0x15 => "REMOVE",
            0x16 => "UNMAP",
            var other => $"event 0x{other:x}",
        };
        var flags = (encoded >> 8) & 0xf;
        var address = encoded & ~0xfffUL;
        var flagText = (flags & 1) != 0 ? " write" : "";
        flagText += (flags & 2) != 0 ? " wp" : "";
        return (encoded & 0xff) == 0x13 ? name : $"{name} {Relative(BaseOf(address), address)}{flagText}";
    }

    /// <summary>The nearest name at or below <paramref name="address"/> (first bound wins a tie); else the lowest name.</summary>
    private string? BaseOf(ulong address)
    {
        string? best = null;
        foreach (var name in _addressOrder)
        {
            var value = _addresses[name];
            if (value <= address && (best is null || value > _addresses[best]))
            {
                best = name;
            }
        }

        return best ?? _addressOrder.OrderBy(n => _addresses[n]).FirstOrDefault();
    }

    private string Relative(string? name, ulong address) =>
        name is null
            ? "0x" + address.ToString("x", CultureInfo.InvariantCulture)
            : new AddressExpr(name, unchecked((long)(address - _addresses[name]))).ToString();

    private ulong Resolve(AddressExpr expr)
    {
        if (expr.Name is null)
        {
            return unchecked((ulong)expr.Offset);
        }

        return _addresses.TryGetValue(expr.Name, out var value)
            ? unchecked(value + (ulong)expr.Offset)
            : throw new UnresolvedNameException(expr.Name);
    }

    private List<(ulong Base, ulong Length)> Resolve(IReadOnlyList<IoVecExpr> vecs) =>
        vecs.Select(v => (Resolve(v.Base), v.Length)).ToList();

    private int Slot(string process) => _slots.TryGetValue(process, out var slot) ? slot : throw new UnresolvedNameException(process);

    private int Fd(string name) =>
        name == "self" ? PidfdSelf : _fds.TryGetValue(name, out var fd) ? fd : throw new UnresolvedNameException(name);

    private static string ErrnoName(int errno) =>
        Enum.IsDefined(typeof(Spec.Errno), errno) ? ((Spec.Errno)errno).ToString() : "errno " + errno.ToString(CultureInfo.InvariantCulture);

    private sealed class UnresolvedNameException(string name) : Exception(name);
}
