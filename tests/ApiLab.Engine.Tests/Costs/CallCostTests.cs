using System.Reflection;
using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Costs;

/// <summary>The per-syscall cost table (perf trace -s, with the engine's counters) and the counter set itself.</summary>
public sealed class CallCostTests
{
    private static Machine NewAccounting() => new(new MachineConfig { Frames = 1024, SwapSlots = 1024, CheckInvariants = true, CostPerCall = true });

    [Fact]
    public void The_table_is_empty_unless_asked_for()
    {
        var m = New();
        var p = m.User();
        p.MapAnon(1);
        Assert.Empty(m.CallCosts);
    }

    [Fact]
    public void Each_syscall_name_gets_its_calls_and_what_they_cost()
    {
        var m = NewAccounting();
        var p = m.User();
        var a = p.MapAnon(4);
        var b = p.MapAnon(4);
        p.Fill(a, 4, 1);
        Assert.True(p.Madvise(a, 4 * P, Advice.DontNeed).IsOk);
        Assert.True(p.Madvise(b, 4 * P, Advice.DontNeed).IsOk);
        var madvise = m.CallCosts["madvise"];
        Assert.Equal(2, madvise.Calls);
        Assert.Equal(2, madvise.Costs.Syscalls);
        Assert.Equal(4, madvise.Costs.PagesZapped);
        Assert.Equal(2, madvise.Costs.VmaLocks);
        var mmap = m.CallCosts["mmap"];
        Assert.Equal(2, mmap.Calls);
        Assert.Equal(2, mmap.Costs.MmapWriteLocks);
        Assert.Equal(0, mmap.Costs.PagesZapped);
        // The stores' faults happened between syscalls: no syscall row has them.
        Assert.Equal(0, m.CallCosts.Values.Sum(static row => row.Costs.PageFaults));
        Assert.Equal(4, m.Stats.PageFaults);
    }

    [Fact]
    public void A_nested_entry_by_the_same_caller_is_the_same_call()
    {
        var m = NewAccounting();
        var p = m.User();
        using (m.EnterSyscall(p, "process_madvise"))
        {
            p.MapAnon(1);
        }

        Assert.Equal(1, m.CallCosts["process_madvise"].Calls);
        Assert.Equal(1, m.CallCosts["process_madvise"].Costs.MmapWriteLocks);
        Assert.False(m.CallCosts.ContainsKey("mmap"));
    }

    [Fact]
    public void Every_counter_is_named_in_the_pairs_and_added_by_the_difference()
    {
        var fields = typeof(MachineStats).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(static f => f.FieldType == typeof(long)).ToArray();
        var after = new MachineStats();
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].SetValue(after, (long)(i + 1) * 10);
        }

        var sum = new MachineStats();
        sum.AddDifference(after, new MachineStats());
        for (var i = 0; i < fields.Length; i++)
        {
            Assert.Equal((long)(i + 1) * 10, (long)fields[i].GetValue(sum)!);
        }

        var values = after.ToPairs().Select(static p => p.Value).ToHashSet();
        Assert.Equal(fields.Length, after.ToPairs().Count);
        Assert.All(fields, f => Assert.Contains((long)f.GetValue(after)!, values));
    }
}
