using System.Text.Json;

namespace ApiLab.Cli.Tests;

public sealed class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ApilabCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Compare_prints_the_side_by_side_table()
    {
        var (code, output, error) = Run("compare", "remote-madvise", "--size", "2");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("cookie", output);
        Assert.Contains("mainline", output);
        Assert.Contains("Interleavings that advised a VMA the caller never saw", output);
    }

    [Fact]
    public void Compare_json_is_machine_readable()
    {
        var (code, output, _) = Run("compare", "remote-madvise", "--size", "2", "--json");
        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var designs = json.RootElement[0].GetProperty("designs");
        Assert.Equal(5, designs.GetArrayLength());
        Assert.True(designs.EnumerateArray().Single(d => d.GetProperty("design").GetString() == "mainline")
            .GetProperty("hazardous_schedules").GetInt32() > 0);
    }

    [Theory]
    [InlineData(new[] { "compare", "nonsense" }, "unknown debate 'nonsense'; valid: remote-madvise")]
    [InlineData(new[] { "compare", "remote-madvise", "--size", "0" }, "size 0 is out of range")]
    [InlineData(new[] { "compare", "--size", "many" }, "many")]
    [InlineData(new[] { "races", "nope" }, "unknown scenario 'nope'; valid: ")]
    [InlineData(new[] { "races", "remote-madvise", "--design", "fd" }, "unknown design 'fd'")]
    [InlineData(new[] { "races", "remote-madvise", "--replay", "0x1" }, "bad schedule '0x1'")]
    [InlineData(new[] { "docs", "--templates", "/does/not/exist" }, "template folder '/does/not/exist' does not exist")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "run", "nope" }, "unknown scenario 'nope'")]
    [InlineData(new[] { "run", "remote-madvise", "--design", "nope" }, "unknown design 'nope'")]
    [InlineData(new[] { "run", "remote-madvise", "--size", "100000" }, "size 100000 is out of range")]
    [InlineData(new[] { "run", "remote-madvise", "--size", "-3" }, "size -3 is out of range")]
    [InlineData(new[] { "races", "remote-madvise", "--mode", "pct:x:2" }, "bad --mode 'pct:x:2'")]
    [InlineData(new[] { "races", "remote-madvise", "--mode", "sometimes" }, "valid: exhaustive, reduced")]
    [InlineData(new[] { "bench", "--only", "vma-lookup", "warp" }, "unknown figure 'warp'; valid: dontneed, fault-in")]
    public void Bad_input_is_one_line_on_stderr_and_exit_code_2(string[] args, string message)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("apilab: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Races_fail_on_hazard_exits_1_and_replay_prints_the_trace()
    {
        Assert.Equal(1, Run("races", "remote-madvise.reclaim-race", "--size", "2", "--fail-on-hazard").Code);
        Assert.Equal(0, Run("races", "remote-madvise.reclaim-race", "--size", "2", "--design", "cookie", "--fail-on-hazard").Code);
        Assert.Contains("partial-order reduction", Run("races", "remote-madvise", "--size", "1", "--mode", "reduced").Out);
        var (code, output, _) = Run("races", "remote-madvise", "--design", "mainline", "--size", "2", "--replay", "00110");
        Assert.Equal(0, code);
        Assert.Contains("HARM: PageOut hit vma#", output);
        Assert.Contains("[process_madvise]", output);
    }

    [Fact]
    public void List_names_the_debate_designs_and_scenarios()
    {
        var (code, output, _) = Run("list");
        Assert.Equal(0, code);
        Assert.Contains("design   mainline", output);
        Assert.Contains("scenario remote-madvise.reclaim-race", output);
    }

    [Fact]
    public void The_committed_docs_are_what_apilab_docs_generates()
    {
        var root = RepositoryRoot();
        var (code, output, _) = Run("docs", "--out", Path.Combine(root, "docs"), "--check");
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Run_prints_every_cost_counter_of_one_pass_and_json_names_the_design()
    {
        var (code, output, error) = Run("run", "remote-madvise.reclaim-race", "--design", "mainline", "--size", "3");
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("syscalls", output);
        Assert.Contains("context_switches", output);
        Assert.Contains("harm", output);
        var (jsonCode, json, _) = Run("run", "remote-madvise", "--design", "cookie", "--size", "3", "--json");
        Assert.Equal(0, jsonCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var design = doc.RootElement.GetProperty("designs")[0];
        Assert.Equal("cookie", design.GetProperty("design").GetString());
        Assert.True(design.GetProperty("counters").GetProperty("syscalls").GetInt64() > 0);
    }

    [Fact]
    public void Run_per_call_breaks_costs_down_by_syscall_and_by_address_space()
    {
        var (code, output, error) = Run("run", "remote-madvise", "--design", "cookie", "--size", "5", "--per-call");
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("cookie by syscall", output);
        Assert.Contains("cookie by address space", output);
        Assert.Contains("process_madvise", output);
        Assert.Contains("cached_app", output);
        var (jsonCode, json, _) = Run("run", "remote-madvise", "--design", "cookie", "--size", "5", "--per-call", "--json");
        Assert.Equal(0, jsonCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var breakdown = doc.RootElement.GetProperty("designs")[0].GetProperty("breakdown");
        var madvise = breakdown.GetProperty("per_call").GetProperty("process_madvise");
        Assert.Equal(1, madvise.GetProperty("calls").GetInt64());
        // PAGEOUT of 5 VMAs of 4 pages: the app's 20 pages, walked under its mmap_lock.
        Assert.Equal(20, madvise.GetProperty("counters").GetProperty("pages_reclaimed").GetInt64());
        Assert.True(madvise.GetProperty("counters").GetProperty("mmap_lock_held").GetInt64() >= 20);
        var app = breakdown.GetProperty("per_mm").EnumerateArray().Single(static m => m.GetProperty("comm").GetString() == "cached_app");
        Assert.Equal(20, app.GetProperty("counters").GetProperty("pages_reclaimed").GetInt64());
        var (_, plain, _) = Run("run", "remote-madvise", "--design", "cookie", "--size", "5", "--json");
        using var plainDoc = JsonDocument.Parse(plain);
        Assert.Equal(JsonValueKind.Null, plainDoc.RootElement.GetProperty("designs")[0].GetProperty("breakdown").ValueKind);
    }

    [Fact]
    public void Bench_only_runs_the_figures_named()
    {
        var (code, output, error) = Run("bench", "--only", "exhaustive");
        Assert.Equal(0, code);
        Assert.Contains("Exhaustive exploration", output);
        Assert.DoesNotContain("VMA lookups", output);
        Assert.DoesNotContain("MADV_DONTNEED", output);
        Assert.Equal("running: exhaustive exploration of every debate\n", error);
    }

    [Fact]
    public void List_and_races_speak_json()
    {
        var (code, output, _) = Run("list", "--json");
        Assert.Equal(0, code);
        using var list = System.Text.Json.JsonDocument.Parse(output);
        Assert.Contains(list.RootElement.EnumerateArray(), d => d.GetProperty("id").GetString() == "remote-madvise");
        var (racesCode, races, _) = Run("races", "remote-madvise", "--size", "2", "--design", "mainline", "--json");
        Assert.Equal(0, racesCode);
        using var doc = System.Text.Json.JsonDocument.Parse(races);
        var mainline = doc.RootElement.GetProperty("designs")[0];
        Assert.True(mainline.GetProperty("harmful").GetInt32() > 0);
        Assert.NotEmpty(mainline.GetProperty("hazards")[0].GetProperty("schedule").GetString()!);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("compare")]
    [InlineData("run")]
    [InlineData("races")]
    [InlineData("trace")]
    [InlineData("docs")]
    [InlineData("bench")]
    public void Every_verb_has_help_with_an_example(string verb)
    {
        var (code, output, _) = Run(verb, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains(verb, output);
        Assert.Contains("Example", output);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ApiLab.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ApiLab.sln not found above the test binaries");
    }
}
