using System.Text;
using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Exec;

/// <summary>execve(2) as 6.18 stages it: the temporary stack, copy_strings, the limits, relocation and the new mm.</summary>
public sealed class ExecTests
{
    private static readonly ExecOptions NoRandomize = new() { Filename = "./showmaps", StackRandomization = 0 };

    [Fact]
    public void Without_randomisation_the_stack_is_one_argument_page_plus_128_KiB_below_stack_top_max_as_on_the_host()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["./showmaps"], [], NoRandomize).Value;

        // setarch -R ./showmaps with an empty environment, on this project's 6.18 host:
        Assert.Equal("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n", p.Mm!.FormatMaps());
        Assert.Equal(0x7fffffffefe2UL, stats.StartStack);
        Assert.Equal(0UL, stats.StackShift);
        Assert.Equal(0, stats.PtesMoved);
        Assert.Equal(1, stats.Argc);
    }

    [Fact]
    public void The_strings_go_top_down_filename_first_then_envp_then_argv_each_from_its_last_element()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog", "arg1"], ["A=1", "B=22"], NoRandomize with { Filename = "/bin/x" }).Value;

        // Rebuild the page image copy_strings writes and compare the page's content word with its digest.
        var image = new byte[Page.Size];
        var top = (int)Page.Size - 8;
        foreach (var s in new[] { "/bin/x", "B=22", "A=1", "arg1", "prog" })
        {
            top -= s.Length + 1;
            Encoding.ASCII.GetBytes(s, image.AsSpan(top));
        }

        var topPage = Mm.StackTopMax - Page.Size;
        Assert.Equal(topPage + (ulong)top, stats.StartStack);
        Assert.Equal(ArgPageDigest.OfPage(image), p.Load(topPage).Value);
        Assert.Equal(0UL, p.Load(topPage - P).Value);
        Assert.Equal(7 + 5 + 4 + 5 + 5, stats.ArgBytesCopied);
        Assert.Equal((2, 2), (stats.Argc, stats.Envc));
    }

    [Fact]
    public void An_empty_argv_gets_an_empty_argv0_after_the_environment()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve([], null, NoRandomize).Value;
        Assert.Equal(1, stats.Argc);
        Assert.Equal(Mm.StackTopMax - 8 - 11 - 1, stats.StartStack);
    }

    [Fact]
    public void A_null_entry_ends_argv_as_the_null_pointer_does()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(1, p.Execve(["a", null, "b"], [], NoRandomize).Value.Argc);
    }

    [Fact]
    public void A_string_is_at_most_MAX_ARG_STRLEN_bytes_with_its_NUL_and_a_refused_exec_keeps_the_old_mm()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 40);
        var before = p.Mm!;
        var seq = before.LayoutSeq;

        Assert.Equal(Errno.E2BIG, p.Execve(["x", new string('a', 131072)], [], NoRandomize).Error);
        Assert.Same(before, p.Mm);
        Assert.Equal(seq, before.LayoutSeq);
        Assert.Equal(41UL, p.Load(at + P).Value);
        Assert.Equal(2, m.Frames.UsedCount);
        Assert.Equal(0UL, p.SelfExecId);

        var stats = p.Execve(["x", new string('a', 131071)], [], NoRandomize).Value;
        // 131072 + 2 + 11 + 8 bytes need 33 pages; the stack is those plus 32.
        Assert.Equal(65UL * P, stats.StackEnd - stats.StackStart);
    }

    /// <summary>Host-checked to the byte: with an 8 MiB RLIMIT_STACK the strings may take 2 MiB minus 8 bytes per pointer.</summary>
    [Theory]
    [InlineData(2096954, true)]
    [InlineData(2096955, false)]
    public void The_argument_area_is_a_quarter_of_RLIMIT_STACK_less_the_pointer_arrays(int total, bool fits)
    {
        var m = New(frames: 1200);
        var p = m.User();
        var argv = new List<string?> { "./showmaps" };
        for (var left = total; left > 0; left -= 100000)
        {
            argv.Add(new string('b', Math.Min(left, 100000) - 1));
        }

        var result = p.Execve(argv, [], NoRandomize);
        Assert.Equal(fits ? Errno.None : Errno.E2BIG, result.Error);
        if (fits)
        {
            // The host shows 544 pages: 512 of strings and 32 more.
            Assert.Equal(544UL * P, result.Value.StackEnd - result.Value.StackStart);
        }
    }

    [Fact]
    public void A_small_RLIMIT_STACK_caps_the_stack_and_refuses_arguments_it_cannot_hold()
    {
        var m = New();
        var p = m.User();
        p.Limits.Stack = 64 * 1024;
        var ok = p.Execve(["./showmaps", new string('b', 9999), new string('b', 9999), new string('b', 9999)], [], NoRandomize).Value;
        Assert.Equal(16UL * P, ok.StackEnd - ok.StackStart);

        // ARG_MAX would allow 128 KiB, but the stack may not grow past 64 KiB while the strings are copied (host: E2BIG).
        var big = new List<string?> { "./showmaps" };
        big.AddRange(Enumerable.Repeat(new string('b', 9999), 7));
        Assert.Equal(Errno.E2BIG, p.Execve(big, [], NoRandomize).Error);
    }

    [Fact]
    public void The_default_exec_moves_the_stack_down_by_moving_page_table_entries_not_pages()
    {
        var m = New();
        var p = m.User();
        var copied = m.Stats.PagesCopied;
        var stats = p.Execve(["prog"], ["HOME=/"], new ExecOptions { Filename = "/bin/prog" }).Value;

        Assert.Equal(ExecOptions.DefaultNativeStackRandomization, stats.StackShift);
        Assert.Equal(ExecOptions.NativeStackTop - ExecOptions.DefaultNativeStackRandomization, stats.StackEnd);
        Assert.Equal(1, stats.PtesMoved);
        Assert.Equal(1, m.Stats.PtesMoved);
        Assert.Equal(copied, m.Stats.PagesCopied);
        // move_ptes flushes the extent it moved a present entry in, the mmu_gather flushes for the freed page table.
        Assert.Equal(2, stats.TlbFlushes);
        var vpn = Page.ToVpn(stats.StackEnd - P);
        var frame = Pte.Index(p.Mm!.PageTable.Get(vpn));
        Assert.Equal([(p.Mm, vpn)], m.Frames.Mappings(frame));
        Assert.Equal([Range(stats.StackEnd - (33 * P), stats.StackEnd, "rw-p")], p.MapsShape());
        Assert.EndsWith(" [stack]", p.Mm.FormatMaps().TrimEnd('\n'), StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_inside_one_page_table_moves_the_entries_within_it_and_frees_no_table()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog", new string('x', 5000)], [], NoRandomize with { StackRandomization = P }).Value;
        Assert.Equal(P, stats.StackShift);
        Assert.Equal(2, stats.PtesMoved);
        // One move_ptes extent with present entries; the page table stays in use, so the gather has nothing to flush.
        Assert.Equal(1, stats.TlbFlushes);
        Assert.NotEqual(0UL, p.Load(stats.StackEnd - P).Value);
        Assert.NotEqual(0UL, p.Load(stats.StackEnd - (2 * P)).Value);
    }

    [Fact]
    public void Arguments_over_two_page_tables_cost_a_flush_per_extent_plus_the_gather()
    {
        var m = New(frames: 1200);
        var p = m.User();
        p.Limits.Stack = 16UL << 20;
        var argv = new List<string?> { "prog" };
        argv.AddRange(Enumerable.Repeat(new string('y', 99999), 30));
        var stats = p.Execve(argv, [], new ExecOptions()).Value;
        Assert.Equal(733, stats.PtesMoved);
        Assert.Equal(3, stats.TlbFlushes);
        Assert.Equal((733L + 32) * (long)P, (long)(stats.StackEnd - stats.StackStart));
    }

    [Fact]
    public void A_compat_exec_moves_the_stack_below_4_GiB_and_maps_below_the_compat_mmap_base()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog"], [], new ExecOptions { Abi = ExecAbi.Compat32 }).Value;
        Assert.Equal(0xffffe000UL - ExecOptions.DefaultCompatStackRandomization, stats.StackEnd);
        Assert.Equal(Mm.StackTopMax - stats.StackEnd, stats.StackShift);
        Assert.Equal(1, stats.PtesMoved);
        Assert.Equal(ExecOptions.CompatMmapBase - P, p.MapAnon(1));
    }

    [Fact]
    public void The_old_mm_is_torn_down_and_the_process_keeps_pid_identity_and_the_pidfds_others_hold()
    {
        var m = New();
        var p = m.User();
        var watcher = m.User();
        var at = p.MapAnon(3);
        p.Fill(at, 3, 1);
        var pidfd = m.PidfdOpen(watcher, new Pid(p.Pid), 0).Value;
        var own = m.PidfdOpen(p, new Pid(watcher.Pid), 0).Value;
        var (pid, identity, oldMm) = (p.Pid, p.Identity, p.Mm!);

        var stats = p.Execve(["prog"], [], NoRandomize).Value;

        Assert.True(oldMm.IsDead);
        Assert.Equal(3, stats.OldMmFramesFreed);
        Assert.Equal(1, m.Frames.UsedCount);
        Assert.Equal((pid, identity, 1UL), (p.Pid, p.Identity, p.SelfExecId));
        Assert.Same(p, m.ResolvePidfd(watcher, pidfd).Value);
        Assert.Same(p.Mm, m.ResolvePidfd(watcher, pidfd).Value.Mm);
        // pidfds are always close-on-exec: the one p held is gone.
        Assert.Equal(1, stats.FdsClosed);
        Assert.Equal(Errno.EBADF, m.ResolvePidfd(p, own).Error);
        Assert.Equal(Errno.EFAULT, p.Load(at).Error);
        Assert.NotEqual(oldMm.Identity, p.Mm!.Identity);
        Assert.True(p.Mm.LayoutSeq < oldMm.LayoutSeq + 10);
    }

    [Fact]
    public void Comm_becomes_the_first_15_bytes_of_the_basename_and_dumpable_is_reset()
    {
        var m = New();
        var p = m.User();
        p.Dumpable = 0;
        p.Execve(["argv-zero-name"], [], new ExecOptions { Filename = "./a_very_long_program_name_here" });
        Assert.Equal("a_very_long_pro", p.Comm);
        Assert.Equal(1, p.Dumpable);

        var setuid = m.Spawn(Credentials.User(1000) with { Euid = 0 }, "su").Value;
        setuid.Execve(["su"], [], NoRandomize);
        Assert.Equal(0, setuid.Dumpable);
    }

    [Fact]
    public void Per_mm_state_goes_with_the_old_mm_but_the_coredump_filter_survives()
    {
        var m = New();
        var p = m.Spawn(Credentials.Root, "root").Value;
        var at = p.MapAnon(2);
        Assert.True(p.Madvise(at, P, Advice.WipeOnFork).IsOk);
        Assert.True(p.Mlock(at + P, P).IsOk);
        Assert.True(p.Mseal(at, P).IsOk);
        Assert.True(p.Mlockall(MlockallFlags.Future).IsOk);
        Assert.True(p.WriteCoredumpFilter(0x1).IsOk);

        p.Execve(["prog"], [], NoRandomize);

        Assert.Equal(VmFlags.None, p.Mm!.DefFlags);
        Assert.Equal(0, p.Mm.LockedVm);
        Assert.Equal(0x1u, p.Mm.CoredumpFilter);
        Assert.Equal(0, m.Frames.UnevictableCount);
        var fresh = p.MapAnon(1, at: at);
        Assert.Equal(at, fresh);
        Assert.Equal(VmFlags.None, p.Mm.Vmas.Find(at)!.Flags & (VmFlags.WipeOnFork | VmFlags.Locked | VmFlags.Sealed));
    }

    [Fact]
    public void A_maps_fd_opened_before_exec_still_names_the_old_mm()
    {
        var m = New();
        var p = m.User();
        p.MapAnon(1);
        var maps = new ProcMapsFile(p);
        Assert.True(maps.Query(0, ProcMapsFile.CoveringOrNext).IsOk);
        p.Execve(["prog"], [], NoRandomize);
        // Host: a read of the old fd returns 0 bytes and PROCMAP_QUERY fails with ESRCH; a new open works.
        Assert.Equal(Errno.ESRCH, maps.Query(0, ProcMapsFile.CoveringOrNext).Error);
        Assert.True(new ProcMapsFile(p).Query(0, ProcMapsFile.CoveringOrNext).IsOk);
    }

    [Fact]
    public void Under_memory_pressure_exec_reclaims_and_when_nothing_can_be_freed_fails_with_E2BIG_keeping_the_old_mm()
    {
        var m = New(frames: 9, swapSlots: 0);
        var p = m.User();
        var at = p.MapAnon(8);
        p.Fill(at, 8, 100);
        var old = p.Mm!;

        Assert.Equal(Errno.E2BIG, p.Execve(["prog"], [], NoRandomize).Error);
        Assert.Same(old, p.Mm);
        Assert.Equal(107UL, p.Load(at + (7 * P)).Value);
        Assert.Equal(8, m.Frames.UsedCount);

        // With swap, reclaim makes room: the exec goes through and the old pages are freed with their swap slots.
        var roomy = New(frames: 9, swapSlots: 16);
        var q = roomy.User();
        q.Fill(q.MapAnon(8), 8, 100);
        Assert.True(q.Execve(["prog"], [], NoRandomize).IsOk);
        Assert.True(roomy.Stats.PagesSwappedOut > 0);
        Assert.Equal(0, roomy.Swap.UsedSlots);
        Assert.Equal(1, roomy.Frames.UsedCount);
    }

    [Fact]
    public void The_execing_task_is_charged_for_the_argument_pages_and_the_new_mm_owns_their_memcg_charge()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog", new string('x', 5000)], [], NoRandomize).Value;
        Assert.Equal(2, stats.ArgPagesChargedToCaller);
        Assert.Equal(3, stats.ArgPageLookups);
        Assert.Equal(2, stats.FramesCharged);
        Assert.Equal(2, p.Mm!.MemcgCharged);
        Assert.Equal(0, p.Mm.ExecArgPages);
    }

    [Fact]
    public void Pages_shared_with_a_forked_child_survive_the_parents_exec()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(2);
        parent.Fill(at, 2, 7);
        var child = m.Fork(parent).Value;
        var stats = parent.Execve(["prog"], [], NoRandomize).Value;
        Assert.Equal(0, stats.OldMmFramesFreed);
        Assert.Equal(8UL, child.Load(at + P).Value);
    }

    [Fact]
    public void An_executable_stack_is_mapped_rwx()
    {
        var m = New();
        var p = m.User();
        p.Execve(["prog"], [], NoRandomize with { ExecutableStack = ExecutableStack.Enable });
        Assert.Equal(["7ffffffde000-7ffffffff000 rwxp"], p.MapsShape());
    }

    [Fact]
    public void Exec_of_an_exited_process_is_ESRCH()
    {
        var m = New();
        var p = m.User();
        m.Exit(p);
        Assert.Equal(Errno.ESRCH, p.Execve(["prog"], [], NoRandomize).Error);
    }

    [Fact]
    public void The_new_stack_grows_when_touched_below_and_the_heap_starts_at_start_brk()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog"], [], NoRandomize).Value;
        Assert.True(p.Store(stats.StackStart - 100, 5).IsOk);
        Assert.Equal(34UL * P, p.Mm!.Vmas.Find(stats.StackStart - 100)!.Length);
        Assert.Equal(ExecOptions.DefaultNativeStartBrk, p.Brk(0).Value);
    }
}
