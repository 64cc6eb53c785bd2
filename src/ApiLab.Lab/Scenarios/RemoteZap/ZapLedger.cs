using System.Globalization;
using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// Ground truth for "pages the manager believes freed": around each zap, which heap pages lost their frame, and
/// whether that frame went back to the pool or is still resident (held by another mapping, e.g. a child after fork:
/// Hildenbrand, seed 001, &lt;f47970f5-faa7-9d5f-f07a-9399e4626eda@redhat.com&gt;).
/// </summary>
internal sealed class ZapLedger(Machine machine, Process target, ulong heapBase, int pages)
{
    private readonly List<string> _resident = [];

    public long Freed { get; private set; }

    public IReadOnlyList<string> Resident => _resident;

    public SysResult<T> Zapping<T>(Func<SysResult<T>> zap)
    {
        var before = new int[pages];
        for (var i = 0; i < pages; i++)
        {
            before[i] = FrameAt(i);
        }

        var result = zap();
        for (var i = 0; i < pages; i++)
        {
            if (before[i] <= FramePool.ZeroPage || FrameAt(i) == before[i])
            {
                continue;
            }

            if (machine.Frames.RefCount(before[i]) > 0)
            {
                _resident.Add(string.Create(CultureInfo.InvariantCulture,
                    $"page {i} was zapped as freed but its frame {before[i]} is still resident ({machine.Frames.MapCount(before[i])} mapping left)"));
            }
            else
            {
                Freed++;
            }
        }

        return result;
    }

    private int FrameAt(int i)
    {
        if (target.Mm is not { } mm)
        {
            return -1;
        }

        var pte = mm.PageTable.Get(Page.ToVpn(heapBase) + (ulong)i);
        return Pte.IsPresent(pte) ? Pte.Index(pte) : -1;
    }
}
