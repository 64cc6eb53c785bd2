namespace ApiLab.Cli.Tests;

/// <summary><c>apilab trace run|diff</c>: logs, divergence exit codes and one-line errors for bad input.</summary>
public sealed class TraceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apilab-trace").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ApilabCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"t{Guid.NewGuid():N}.trace");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Run_on_the_engine_prints_the_canonical_log()
    {
        var (code, output, error) = Run("trace", "run", Write("a = p: mmap 2p rw private\np: store a+1p 0x5\np: load a+1p\np: maps\n"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("  3 p: load a+1p = 0x5", output);
        Assert.Contains("      a..a+2p rw-p", output);
    }

    [Fact]
    public void Diff_agrees_with_the_host_kernel_or_says_why_it_cannot_run()
    {
        var (code, output, error) = Run("trace", "diff", Write("a = p: mmap 1p r private\np: store a 0x1\n"));
        if (code == 2)
        {
            Assert.StartsWith("apilab: the host backend is unavailable", error, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(0, code);
        Assert.Equal("no divergence: 2 log lines agree\n", output);
    }

    [Fact]
    public void A_syntax_error_is_one_line_with_file_and_line_and_exit_code_2()
    {
        var path = Write("a = p: mmap 1p rw private\np: frobnicate a\n");
        var (code, output, error) = Run("trace", "run", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"apilab: {Path.GetFileName(path)}:2: unknown call 'frobnicate'; valid: mmap", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_unreadable_file_or_unknown_backend_is_exit_code_2()
    {
        var (code, _, error) = Run("trace", "run", Path.Combine(_dir, "missing.trace"));
        Assert.Equal(2, code);
        Assert.StartsWith("apilab: cannot read trace", error, StringComparison.Ordinal);
        (code, _, error) = Run("trace", "run", Write("p: maps\n"), "--backend", "qemu");
        Assert.Equal(2, code);
        Assert.Equal("apilab: unknown backend 'qemu'; valid: engine, host\n", error);
    }
}
