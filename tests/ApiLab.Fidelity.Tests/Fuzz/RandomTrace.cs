using System.Globalization;
using System.Text;

namespace ApiLab.Fidelity.Tests.Fuzz;

/// <summary>
/// Renders random operations as a trace. Everything happens inside a 64-page arena reserved first: calls use pages
/// 0-47 only, so the reserved top keeps what lies above the arena out of every result, and every mapping is placed
/// with MAP_FIXED or MAP_FIXED_NOREPLACE. Left out on purpose, because the answer depends on the address-space
/// layout around the arena rather than on mm semantics: mmap without a fixed address and mremap moves without
/// MREMAP_FIXED that grow (the kernel picks a hole; the engine's holes differ from the host process's).
/// </summary>
internal static class RandomTrace
{
    public const int Kinds = 18;
    private const int Pages = 48;

    private static readonly string[] Prots = ["none", "r", "rw", "rwx", "rw", "r", "0x8"];
    private static readonly string[] Types = ["private", "private", "shared", "droppable", "private", "type 0"];
    private static readonly string[] Extras = ["", "", "", "", "populate", "noreserve", "locked"];
    private static readonly string[] Advices =
    [
        "dontneed", "free", "cold", "pageout", "willneed", "remove", "dontfork", "dofork", "wipeonfork", "keeponfork",
        "dontdump", "dodump", "populate_read", "populate_write", "guard_install", "guard_remove", "normal", "random",
        "sequential", "hugepage", "nohugepage", "mergeable", "unmergeable", "dontneed_locked", "collapse", "77", "100",
    ];

    private static readonly string[] RemoteAdvices = ["cold", "pageout", "willneed", "dontneed", "collapse", "77"];

    public static string Render(IReadOnlyList<FuzzOp> ops)
    {
        var text = new StringBuilder("# random differential trace\narena = p: mmap 64p none private\nf = p: memfd_create fz\np: ftruncate f 4p\n");
        var processes = new List<string> { "p" };
        var fds = new List<string>();
        var mappings = 0;
        foreach (var op in ops)
        {
            var proc = processes[op.A % processes.Count];
            var line = (op.Kind % Kinds) switch
            {
                0 or 1 => $"m{mappings++} = {proc}: mmap {Length(op.C)} {Prots[op.D % Prots.Length]} {Types[op.D / 7 % Types.Length]} "
                    + $"{(op.C % 5 == 0 ? "noreplace" : "fixed")} {Extras[op.D / 42 % Extras.Length]} at {Page(op.B)}",
                2 => $"{proc}: munmap {Page(op.B)} {Length(op.C)}",
                3 => $"{proc}: mprotect {Page(op.B)} {Length(op.C)} {Prots[op.D % Prots.Length]}",
                4 or 5 => $"{proc}: madvise {Page(op.B)} {Length(op.C)} {Advices[op.D % Advices.Length]}",
                6 => Mremap(proc, op, ref mappings),
                7 => $"{proc}: store {WholePage(op.B)} 0x{op.D + 1:x}",
                8 => $"{proc}: load {WholePage(op.B)}",
                9 => processes.Count < 5 ? $"q{processes.Count} = {proc}: fork" : $"{proc}: maps",
                10 => op.C % 4 == 0 && proc != "p" ? $"{proc}: exit" : $"{proc}: maps",
                11 => OpenOrAdvise(proc, op, processes, fds),
                12 => $"{proc}: process_vm_{(op.D % 2 == 0 ? "readv" : "writev")} {processes[op.C % processes.Count]} "
                    + $"local [{WholePage(op.B)} {Length(op.D / 2 % 3)}] remote [{WholePage(op.C / 3)} {Length(op.D / 6 % 3)}]",
                13 => op.C % 3 == 0 && proc != "p" ? $"{proc}: setuid 1000" : op.C % 3 == 1 ? $"{proc}: set_dumpable 1" : $"{proc}: maps",
                14 => $"{proc}: {(op.D % 3 == 0 ? "munlock" : "mlock")} {Page(op.B)} {Length(op.C)}",
                15 => op.D % 4 == 0 ? $"{proc}: mseal {Page(op.B)} {Length(op.C)}" : $"{proc}: maps",
                16 => $"m{mappings++} = {proc}: mmap {Length(op.C)} {Prots[op.D % Prots.Length]} {(op.D / 7 % 2 == 0 ? "shared" : "private")} "
                    + $"file f offset {op.D / 14 % 4}p {(op.C % 5 == 0 ? "noreplace" : "fixed")} at {Page(op.B)}",
                _ => $"{proc}: ftruncate f {op.C % 7}p",
            };
            text.Append(line.TrimEnd().Replace("  ", " ", StringComparison.Ordinal)).Append('\n');
            if (line.Contains(": fork", StringComparison.Ordinal))
            {
                processes.Add($"q{processes.Count}");
            }
        }

        text.Append("p: maps\n");
        return text.ToString();
    }

    private static string Mremap(string proc, FuzzOp op, ref int mappings)
    {
        var oldLength = 1 + (op.C % 3);
        var newLength = 1 + (op.D % 4);
        var name = $"m{mappings++}";
        return (op.D / 4 % 5) switch
        {
            0 => $"{name} = {proc}: mremap {Page(op.B)} {oldLength}p {Math.Min(newLength, oldLength)}p none",
            1 => $"{name} = {proc}: mremap {Page(op.B)} {oldLength}p {newLength}p none",
            2 => $"{name} = {proc}: mremap {Page(op.B)} {oldLength}p {newLength}p maymove fixed to {Page(op.C / 3)}",
            3 => $"{name} = {proc}: mremap {Page(op.B)} {oldLength}p {oldLength}p maymove dontunmap fixed to {Page(op.C / 3)}",
            _ => $"{name} = {proc}: mremap {Page(op.B)} {oldLength}p {newLength}p fixed to {Page(op.C / 3)}",
        };
    }

    private static string OpenOrAdvise(string proc, FuzzOp op, List<string> processes, List<string> fds)
    {
        if (fds.Count == 0 || op.C % 3 == 0)
        {
            var fd = $"fd{fds.Count}";
            fds.Add(fd);
            return $"{fd} = {proc}: pidfd_open {processes[op.B % processes.Count]}";
        }

        var target = op.C % 5 == 1 ? "self" : fds[op.B % fds.Count];
        var ranges = op.D % 3 == 0
            ? $"[{Page(op.B)} {Length(op.C)}]"
            : $"[{Page(op.B)} {Length(op.C)}, {Page(op.C / 5)} {Length(op.D)}]";
        var flags = op.D % 11 == 0 ? " flags 0x1" : "";
        return $"{proc}: process_madvise {target} {ranges} {RemoteAdvices[op.D / 3 % RemoteAdvices.Length]}{flags}";
    }

    /// <summary>A page of the arena; now and then an unaligned one, to reach the EINVAL paths.</summary>
    private static string Page(int n) => n % 17 == 16 ? $"arena+{(n % Pages * 4096) + 8}" : $"arena+{n % Pages}p";

    private static string WholePage(int n) => $"arena+{n % Pages}p";

    private static string Length(int n) => (n % 9) switch
    {
        0 => "0",
        7 => "4097",
        8 => "12p",
        var k => (1 + (k % 4)).ToString(CultureInfo.InvariantCulture) + "p",
    };
}
