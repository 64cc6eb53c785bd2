using ApiLab.Fidelity.Format;

namespace ApiLab.Fidelity.Tests;

/// <summary>The trace format: what parses, and a line-numbered message naming what is valid for what does not.</summary>
public sealed class TraceParserTests
{
    [Fact]
    public void A_trace_binds_names_and_keeps_its_header_as_the_description()
    {
        var trace = TraceParser.Parse("t.trace", "# What it checks.\n# Modelled on: LTP x\na = p: mmap 2p rw private\nq = p: fork\nq: load a+1p\n");
        Assert.Equal("What it checks.\nModelled on: LTP x", trace.Description);
        Assert.Equal(3, trace.Ops.Count);
        var mmap = Assert.IsType<MmapOp>(trace.Ops[0]);
        Assert.Equal(2 * 4096UL, mmap.Length);
        Assert.Equal(0x22, mmap.Flags);
        var load = Assert.IsType<LoadOp>(trace.Ops[2]);
        Assert.Equal(new AddressExpr("a", 4096), load.Address);
        Assert.Equal("q", load.Process);
    }

    [Theory]
    [InlineData("p: mmapp 1p rw private", "t.trace:1: unknown call 'mmapp'; valid: mmap, munmap")]
    [InlineData("p: mmap 1p rw privat", "t.trace:1: unknown map type 'privat'; valid: shared, private")]
    [InlineData("q: load 0x1000", "t.trace:1: unknown process 'q'; defined so far: p")]
    [InlineData("a = p: mmap 1p rw private\np: load a+8", "t.trace:2: 'a+8' is not page-aligned")]
    [InlineData("p: load b", "t.trace:1: unknown address 'b'")]
    [InlineData("p: kill -q SIGSTOP", "t.trace:1: unknown process 'q'; defined so far: p")]
    [InlineData("p: kill -9 0", "t.trace:1: expected -PROCESS (a process's group), found '-9'")]
    [InlineData("p: setpgid 0", "t.trace:1: expected a process or 0 at the end of the line")]
    [InlineData("p: getsid 7", "t.trace:1: expected a process or 0 (a name of letters, digits and _), found '7'")]
    [InlineData("p: madvise 0x1000 1p sleepy", "t.trace:1: unknown advice 'sleepy'; valid: normal")]
    [InlineData("p: munmap 0x1000 lots", "t.trace:1: expected a length (a number such as 12, 0x1f or 4p), found 'lots'")]
    [InlineData("p: fork", "t.trace:1: fork needs a name for the child")]
    [InlineData("p: maps extra", "t.trace:1: unexpected 'extra' after the call")]
    [InlineData("\n\np mmap 1p rw private", "t.trace:3: expected 'process:' before the call")]
    [InlineData("x = p: munmap 0x1000 1p", "t.trace:1: 'munmap 0x1000 1p' has no result to name")]
    public void A_bad_line_is_reported_with_its_number_and_what_is_valid(string text, string message)
    {
        var error = Assert.Throws<TraceSyntaxException>(() => TraceParser.Parse("t.trace", text));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_call_the_parser_knows_is_listed_for_the_docs()
    {
        Assert.Contains("process_vm_writev", TraceParser.CallNames);
        Assert.Equal(TraceParser.CallNames.Count, TraceParser.CallNames.Distinct().Count());
    }
}
