using ApiLab.Engine;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>What every exec-args design must share: the limits, the final stack, who may continue an exec.</summary>
public sealed class ExecArgsCommonTests
{
    public static TheoryData<string> Designs => [.. ExecClient.Designs];

    private static IReadOnlyList<ProposalDescriptor> Catalog { get; } =
        ProposalCatalog.FromAssembly(typeof(ApiLab.Proposals.ExecArgs.RelocateExecArgsAdapter).Assembly);

    [Fact]
    public void The_debate_has_exactly_the_four_designs_of_issue_5()
    {
        var designs = Catalog.Where(static d => d.Debate == "exec-args").Select(static d => d.Design).Order(StringComparer.Ordinal);
        Assert.Equal(["below-sp", "kernel-pages", "kernel-pages-swappable", "relocate"], designs);
        Assert.All(Catalog.Where(static d => d.Debate == "exec-args"), d =>
            Assert.All(d.Calls, c => Assert.Equal(TargetKind.Self, c.Target)));
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void E2BIG_comes_at_the_same_byte_for_every_design(string design)
    {
        // bprm_stack_limits (PROPOSALS.md 5.4): with an 8 MiB RLIMIT_STACK the strings get 2 MiB minus the pointers.
        // Seed 004 line 28 (Hugh): "I don't think rlimits would pose any new problem".
        const int strings = 22;
        var room = (2 << 20) - (strings * 8) - ("/bin/next".Length + 1);
        var argv = new string[strings];
        for (var i = 0; i < strings; i++)
        {
            argv[i] = new string('z', (room / strings) - 1);
        }

        var last = room - ((strings - 1) * (room / strings));
        argv[^1] = new string('y', last - 1);
        var fits = new ExecWorld();
        Assert.True(new ExecClient(design, fits.Execer).Run(argv, [], ExecWorld.Compat, out _).IsOk);
        var over = new ExecWorld();
        var old = over.Execer.Mm;
        argv[^1] += "y";
        Assert.Equal(Errno.E2BIG, new ExecClient(design, over.Execer).Copy(argv, [], ExecWorld.Compat).Error);
        Assert.Same(old, over.Execer.Mm);
        Assert.Equal(Errno.E2BIG, new ExecClient(design, over.Execer).Copy(["x", new string('a', 131072)], [], ExecWorld.Compat).Error);
        over.Machine.CheckInvariants();
    }

    [Theory]
    [InlineData(1, ExecAbi.Native)]
    [InlineData(1, ExecAbi.Compat32)]
    [InlineData(200, ExecAbi.Compat32)]
    [InlineData(1536, ExecAbi.Native)]
    public void Every_design_leaves_the_same_arguments_at_the_same_places(int kib, ExecAbi abi)
    {
        // The thread's premise: the designs differ in how the pages get there, never in what the new image reads.
        var options = ExecWorld.Native with { Abi = abi };
        var argv = ExecWorld.ArgvOfKib(kib);
        string[] envp = ["HOME=/home/u", "LANG=C"];
        var reference = new ExecWorld();
        var expected = new ExecClient("relocate", reference.Execer).Run(argv, envp, options, out _).Value;
        foreach (var design in ExecClient.Designs)
        {
            var world = new ExecWorld();
            var stats = new ExecClient(design, world.Execer).Run(argv, envp, options, out _).Value;
            Assert.Equal(expected.StartStack, stats.StartStack);
            Assert.Equal((expected.StackStart, expected.StackEnd), (stats.StackStart, stats.StackEnd));
            Assert.Equal(ExecWorld.StackImage(reference.Execer, expected), ExecWorld.StackImage(world.Execer, stats));
            Assert.Equal(reference.Execer.Mm!.FormatMaps(), world.Execer.Mm!.FormatMaps());
            world.Machine.CheckInvariants();
        }
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void Another_process_even_of_another_uid_cannot_continue_someone_elses_exec(string design)
    {
        // The specs target the caller itself (Target Self): there is no foreign target to name. A foreign uid
        // holding the handle is refused with EBADF (UNCONFIRMED: no ABI names this) and nothing changes.
        var world = new ExecWorld();
        var stranger = world.Machine.Spawn(Credentials.User(2000), "stranger").Value;
        var exec = new ExecClient(design, world.Execer).Copy(["a"], [], ExecWorld.Compat).Value;
        var old = world.Execer.Mm;

        Assert.Equal(Errno.EBADF, new ExecClient(design, stranger).Switch(exec).Error);
        Assert.Equal(Errno.EBADF, new ExecClient(design, stranger).Setup(exec).Error);
        Assert.Same(old, world.Execer.Mm);
        Assert.Equal(ExecStage.ArgumentsCopied, exec.Stage);
        var owner = new ExecClient(design, world.Execer);
        Assert.True(owner.Switch(exec).IsOk);
        Assert.True(owner.Setup(exec).IsOk);
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void An_unprivileged_caller_needs_no_capability_to_exec(string design)
    {
        // Exec acts on the caller's own (new) mm; even relocate's remote GUP is on an mm the caller owns.
        var descriptor = Catalog.Single(d => d.Debate == "exec-args" && d.Design == design);
        Assert.All(descriptor.Calls, c => Assert.Equal(PtraceMode.None, c.Mode));
        var world = new ExecWorld(uid: 4242);
        Assert.True(new ExecClient(design, world.Execer).Run(["a"], [], ExecWorld.Compat, out _).IsOk);
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void One_exec_is_one_syscall_entry_and_two_continuations(string design)
    {
        var world = new ExecWorld();
        var before = world.Machine.Stats.Syscalls;
        Assert.True(new ExecClient(design, world.Execer).Run(["a"], [], ExecWorld.Compat, out _).IsOk);
        Assert.Equal(3, world.Machine.Stats.Syscalls - before);
        Assert.Equal(1, world.Machine.Stats.Execs - 1);
    }
}
