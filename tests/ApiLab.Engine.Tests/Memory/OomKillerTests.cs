using ApiLab.Engine.Tests.Support;
using ApiLab.Spec;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>out_of_memory → select_bad_process, as a fault's VM_FAULT_OOM would run it.</summary>
public sealed class OomKillerTests
{
    [Fact]
    public void It_kills_the_process_with_the_most_resident_and_swapped_pages_and_frees_its_memory()
    {
        var m = New(frames: 64, swapSlots: 64);
        m.User(comm: "init");
        var small = m.User(comm: "small");
        var big = m.User(comm: "big");
        small.Fill(small.MapAnon(2), 2, 1);
        big.Fill(big.MapAnon(5), 5, 1);
        var used = m.Frames.UsedCount;
        Assert.Same(big, m.OutOfMemory());
        Assert.Equal(ProcessState.Zombie, big.State);
        Assert.Equal(used - 5, m.Frames.UsedCount);
        Assert.Same(small, m.OutOfMemory());
        Assert.Null(m.OutOfMemory());
    }

    [Fact]
    public void Ties_go_to_the_lower_pid_and_pid_1_is_never_chosen()
    {
        var m = New();
        var init = m.User(comm: "init");
        var a = m.User(comm: "a");
        var b = m.User(comm: "b");
        Assert.Equal(1, init.Pid);
        init.Fill(init.MapAnon(8), 8, 1);
        a.Fill(a.MapAnon(3), 3, 1);
        b.Fill(b.MapAnon(3), 3, 1);
        Assert.Same(a, m.OutOfMemory());
        Assert.Same(b, m.OutOfMemory());
        Assert.Null(m.OutOfMemory());
        Assert.Equal(ProcessState.Running, init.State);
    }
}
