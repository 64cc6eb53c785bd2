using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>find_vma and vma_lookup over many VMAs (several search blocks, gaps, block edges) agree with a plain scan.</summary>
public sealed class VmaLookupTests
{
    [Fact]
    public void Lookups_among_a_thousand_vmas_with_gaps_match_a_linear_scan()
    {
        var m = new Machine(new MachineConfig { Frames = 64, MaxMapCount = 5000 });
        var p = m.User();
        var random = new Random(7);
        var address = 0x10000000UL;
        for (var i = 0; i < 1000; i++)
        {
            var pages = 1 + random.Next(3);
            // Alternating protections keep neighbours apart; random gaps leave holes between some.
            p.MapAnon(pages, prot: i % 2 == 0 ? Prot.Read : Prot.ReadWrite, at: address);
            address += (ulong)(pages + random.Next(2)) * P;
        }

        var vmas = p.Mm!.Vmas;
        Assert.True(vmas.Count > 900);
        for (var probe = 0; probe < 20_000; probe++)
        {
            var a = 0x10000000UL - (4 * P) + (ulong)random.NextInt64((long)(address - 0x10000000UL + (8 * P)));
            Vma? firstAbove = null;
            for (var i = 0; i < vmas.Count; i++)
            {
                if (vmas[i].End > a)
                {
                    firstAbove = vmas[i];
                    break;
                }
            }

            Assert.Same(firstAbove, vmas.FindFirstEndingAbove(a));
            Assert.Same(firstAbove is { } f && f.Start <= a ? f : null, vmas.Find(a));
        }
    }
}
