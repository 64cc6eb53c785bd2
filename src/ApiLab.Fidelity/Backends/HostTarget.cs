using System.Diagnostics;
using System.Globalization;
using System.Text;
using ApiLab.Fidelity.Running;

namespace ApiLab.Fidelity.Backends;

/// <summary>
/// The host kernel as a trace backend: one tracerun process per trace, driven line by line over its stdin/stdout
/// (Backends/native/tracerun.c explains the protocol). The first process runs as whoever runs the tests (root in CI).
/// </summary>
public sealed class HostTarget : ITraceTarget
{
    /// <summary>tracerun's MAX_SLOTS.</summary>
    public const int MaxProcesses = 16;

    private readonly Process _runner;
    private readonly Dictionary<int, int> _pids = [];

    private HostTarget(Process runner, int firstPid)
    {
        _runner = runner;
        _pids[0] = firstPid;
    }

    public string Name => "host";

    /// <summary>Starts a runner, or returns null with the reason the host cannot run traces.</summary>
    public static HostTarget? TryStart(out string reason)
    {
        if (OperatingSystem.IsLinux() && !RunsAsRoot())
        {
            // The engine's first process is root, as the runner's is in CI; as anyone else the logs would differ.
            reason = "the host backend needs root (traces start as root and drop privileges with setuid)";
            return null;
        }

        var binary = NativeRunner.Build(out reason);
        if (binary is null)
        {
            return null;
        }

        var runner = Process.Start(new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.ASCII,
        })!;
        var ready = runner.StandardOutput.ReadLine();
        if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            reason = $"tracerun did not start: {runner.StandardError.ReadToEnd().Trim()}";
            runner.Kill();
            runner.Dispose();
            return null;
        }

        return new HostTarget(runner, int.Parse(ready.AsSpan(6), CultureInfo.InvariantCulture));
    }

    public Raw Mmap(int slot, ulong address, ulong length, int prot, int flags, int fd, ulong offset) =>
        Send(slot, $"mmap {address} {length} {prot} {flags} {fd} {offset}");

    public Raw MemfdCreate(int slot, string name) => Send(slot, $"memfd_create {name}");

    public Raw Ftruncate(int slot, int fd, ulong length) => Send(slot, $"ftruncate {fd} {length}");

    public Raw OpenTmpfile(int slot, string name) => Send(slot, $"open_tmpfile {name}");

    public Raw Msync(int slot, ulong address, ulong length, int flags) => Send(slot, $"msync {address} {length} {flags}");

    public Raw Fsync(int slot, int fd) => Send(slot, $"fsync {fd}");

    public Raw Kill(int slot, int pid, int signal) => Send(slot, $"kill {pid} {signal}");

    public Raw Setpgid(int slot, int pid, int pgid) => Send(slot, $"setpgid {pid} {pgid}");

    public Raw Setsid(int slot) => Send(slot, "setsid");

    public Raw Getpgid(int slot, int pid, bool session) => Send(slot, $"{(session ? "getsid" : "getpgid")} {pid}");

    public Raw Munmap(int slot, ulong address, ulong length) => Send(slot, $"munmap {address} {length}");

    public Raw Mprotect(int slot, ulong address, ulong length, int prot) => Send(slot, $"mprotect {address} {length} {prot}");

    public Raw Madvise(int slot, ulong address, ulong length, int advice) => Send(slot, $"madvise {address} {length} {advice}");

    public Raw Mremap(int slot, ulong address, ulong oldLength, ulong newLength, int flags, ulong newAddress) =>
        Send(slot, $"mremap {address} {oldLength} {newLength} {flags} {newAddress}");

    public Raw Load(int slot, ulong address) => Send(slot, $"load {address} 0");

    public Raw Store(int slot, ulong address, ulong value) => Send(slot, $"store {address} {value}");

    public Raw Fork(int slot, int childSlot)
    {
        if (childSlot >= MaxProcesses)
        {
            return Raw.Unsupported($"the host runner serves at most {MaxProcesses} processes");
        }

        var raw = Send(slot, $"fork {childSlot}");
        if (raw.Kind == RawKind.Ok)
        {
            _pids[childSlot] = (int)raw.Value;
        }

        return raw;
    }

    public Raw Exit(int slot) => Send(slot, "exit");

    public Raw SetUid(int slot, int uid) => Send(slot, $"setuid {uid}");

    public Raw SetDumpable(int slot, int value) => Send(slot, $"set_dumpable {value}");

    public int PidOf(int slot) => _pids.GetValueOrDefault(slot, -1);

    public IReadOnlyList<MapsLine>? Maps(int slot)
    {
        _runner.StandardInput.Write(string.Create(CultureInfo.InvariantCulture, $"{slot} maps\n"));
        _runner.StandardInput.Flush();
        var text = new StringBuilder();
        var gone = false;
        for (var line = ReadLine(); line != "end"; line = ReadLine())
        {
            gone |= line.StartsWith("err ", StringComparison.Ordinal);
            text.Append(line).Append('\n');
        }

        return gone ? null : MapsText.Parse(text.ToString());
    }

    public Raw PidfdOpen(int slot, int pid, uint flags) => Send(slot, $"pidfd_open {pid} {flags}");

    public Raw Close(int slot, int fd) => Send(slot, $"close {fd}");

    public Raw ProcessMadvise(int slot, int pidfd, IReadOnlyList<(ulong Base, ulong Length)> ranges, int advice, uint flags) =>
        Send(slot, $"process_madvise {pidfd} {advice} {flags} {Vectors(ranges)}");

    public Raw Mseal(int slot, ulong address, ulong length, ulong flags) => Send(slot, $"mseal {address} {length} {flags}");

    public Raw Mlock(int slot, ulong address, ulong length, bool unlock) =>
        Send(slot, $"{(unlock ? "munlock" : "mlock")} {address} {length}");

    public Raw Exec(int slot, IReadOnlyList<string> args) => Send(slot, $"exec {args.Count} {string.Join(' ', args)}");

    public Raw Userfaultfd(int slot, uint flags, ulong features) => Send(slot, $"userfaultfd {flags} {features}");

    public Raw UffdIoctl(int slot, string call, int fd, ulong address, ulong length, ulong source, ulong mode) =>
        Send(slot, $"{call} {fd} {address} {length} {source} {mode}");

    public Raw UffdRead(int slot, int fd) => Send(slot, $"uffd_read {fd}");

    public Raw ProcessVm(int slot, bool write, int pid, IReadOnlyList<(ulong Base, ulong Length)> local,
        IReadOnlyList<(ulong Base, ulong Length)> remote, ulong flags) =>
        Send(slot, $"{(write ? "process_vm_writev" : "process_vm_readv")} {pid} {flags} {Vectors(local)} {Vectors(remote)}");

    public void Dispose()
    {
        try
        {
            _runner.StandardInput.Close();
            if (!_runner.WaitForExit(5000))
            {
                _runner.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            _runner.Dispose();
        }
    }

    /// <summary>The effective uid in /proc/self/status is 0.</summary>
    private static bool RunsAsRoot()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var ids = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return ids.Length > 1 && ids[1] == "0";
            }
        }

        return false;
    }

    private static string Vectors(IReadOnlyList<(ulong Base, ulong Length)> vecs)
    {
        var text = new StringBuilder(vecs.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (b, l) in vecs)
        {
            text.Append(CultureInfo.InvariantCulture, $" {b} {l}");
        }

        return text.ToString();
    }

    private Raw Send(int slot, string request)
    {
        // The project runs with invariant globalization, so interpolated numbers are culture-neutral.
        _runner.StandardInput.Write($"{slot} {request}\n");
        _runner.StandardInput.Flush();
        var reply = ReadLine();
        var space = reply.IndexOf(' ', StringComparison.Ordinal);
        var word = space < 0 ? reply : reply[..space];
        var number = space < 0 ? "0" : reply[(space + 1)..];
        return word switch
        {
            "ok" => Raw.Ok(ulong.TryParse(number, CultureInfo.InvariantCulture, out var u) ? u : unchecked((ulong)long.Parse(number, CultureInfo.InvariantCulture))),
            "err" => Raw.Errno(int.Parse(number, CultureInfo.InvariantCulture)),
            "sig" => Raw.Signal(int.Parse(number, CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"tracerun replied '{reply}'"),
        };
    }

    private string ReadLine() =>
        _runner.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"tracerun exited: {_runner.StandardError.ReadToEnd().Trim()}");
}
