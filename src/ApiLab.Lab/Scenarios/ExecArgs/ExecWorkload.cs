using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// One exec-args workload: the new binary's stack top (native or compat-like), how far the caller's own stack may
/// still grow before the guard gap of the VMA below it (null: nothing below), and whether a second process applies
/// memory pressure (mlocked allocations that force reclaim) between exec's stages.
/// </summary>
public sealed record ExecWorkload(ExecOptions Options, ulong? RoomBelowStack, bool Pressure)
{
    /// <summary>The new image's filename, also copied onto its stack.</summary>
    public const string Filename = "/usr/bin/next";

    /// <summary>The environment every exec passes, on top of the argv that carries the workload size.</summary>
    public static IReadOnlyList<string> Envp { get; } = ["HOME=/home/user", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"];

    /// <summary>argv of about <paramref name="kib"/> KiB in all (filename, envp and argv, NULs included), in strings
    /// of at most 100,000 bytes (each under MAX_ARG_STRLEN).</summary>
    public static IReadOnlyList<string> Argv(int kib)
    {
        var argv = new List<string> { "next" };
        var fixedBytes = Filename.Length + 1 + Envp.Sum(static e => e.Length + 1) + "next".Length + 1;
        var left = Math.Max(0, (kib * 1024) - fixedBytes);
        var i = 0;
        while (left > 1)
        {
            var length = Math.Min(left - 1, 100_000);
            argv.Add(new string((char)('a' + (i++ % 26)), length));
            left -= length + 1;
        }

        return argv;
    }
}
