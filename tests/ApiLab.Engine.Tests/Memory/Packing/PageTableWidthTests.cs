namespace ApiLab.Engine.Tests.Memory.Packing;

/// <summary>Page-table leaves hold 32-bit entries until one needs more; widening must lose nothing.</summary>
public sealed class PageTableWidthTests
{
    [Fact]
    public void Entries_read_back_exactly_before_and_after_a_leaf_widens()
    {
        var table = new PageTable();
        var expected = new Dictionary<ulong, ulong>();
        for (var i = 0UL; i < PageTable.LeafSize; i += 3)
        {
            var pte = i % 2 == 0
                ? Pte.MakePresent((int)i + 1, Pte.Write | Pte.Dirty | Pte.Young | Pte.UffdWp)
                : Pte.MakeSwap((1 << 25) - (int)i);
            table.Set(i, pte);
            expected[i] = pte;
        }

        table.Set(7, Pte.GuardMarker);
        expected[7] = Pte.GuardMarker;
        AssertHolds(table, expected);

        // A swap slot past 2^25 does not fit the narrow form; neither would a flag bit above bit 6.
        table.Set(10, Pte.MakeSwap(1 << 26));
        expected[10] = Pte.MakeSwap(1 << 26);
        table.Set(11, Pte.MakePresent(int.MaxValue, Pte.Write | (1UL << 20)));
        expected[11] = Pte.MakePresent(int.MaxValue, Pte.Write | (1UL << 20));
        AssertHolds(table, expected);
        Assert.Equal(int.MaxValue, Pte.Index(table.Get(11)));

        foreach (var vpn in expected.Keys)
        {
            table.Set(vpn, Pte.None);
        }

        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.LeafCount);
    }

    private static void AssertHolds(PageTable table, Dictionary<ulong, ulong> expected)
    {
        Assert.Equal(expected.Count, table.Count);
        for (var vpn = 0UL; vpn < PageTable.LeafSize; vpn++)
        {
            Assert.Equal(expected.GetValueOrDefault(vpn, Pte.None), table.Get(vpn));
        }

        Assert.Equal(expected.OrderBy(static p => p.Key).Select(static p => (p.Key, p.Value)), table.All());
    }
}
