using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>
/// The debate's common shape: a memory manager that finds a target's private anonymous ranges and advises them.
/// One driver per design is the client code a user of that design would write.
/// </summary>
public abstract class ManagerDriver(Process manager, Process target)
{
    protected Process Manager { get; } = manager;

    protected Process Target { get; } = target;

    protected Pidfd Pidfd { get; private set; }

    public abstract string Design { get; }

    public SysResult<Pidfd> Open()
    {
        var result = Manager.Machine.PidfdOpen(Manager, new Pid(Target.Pid), 0);
        if (result.IsOk)
        {
            Pidfd = result.Value;
        }

        return result;
    }

    /// <summary>Reads the layout and keeps the private anonymous ranges (what Android's reclaimer wants to page out).</summary>
    public abstract SysResult<IReadOnlyList<IoVec>> Survey();

    public abstract SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice);

    /// <summary>
    /// Whether advice landing on <paramref name="vma"/> is what the manager meant. By default: a VMA its survey saw
    /// (by identity). A design whose call names a class of memory instead of ranges overrides this.
    /// </summary>
    public virtual bool Intends(Vma vma, IReadOnlySet<ulong> surveyed) => surveyed.Contains(vma.Id);

    /// <summary>
    /// A vectored call takes at most <see cref="IoVec.Max"/> entries (UIO_MAXIOV; more is EINVAL), so a manager with
    /// thousands of ranges calls it in batches, as Android's does. Stops at the first batch that fails or falls short,
    /// returning the bytes done so far (or the error, when nothing was done).
    /// </summary>
    protected static SysResult<long> Batched(IReadOnlyList<IoVec> ranges, Func<IoVec[], SysResult<long>> call)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(call);
        long done = 0;
        for (var i = 0; i < ranges.Count || (i == 0 && ranges.Count == 0); i += IoVec.Max)
        {
            var batch = ranges.Skip(i).Take(IoVec.Max).ToArray();
            var result = call(batch);
            if (!result.IsOk)
            {
                return done > 0 ? done : result;
            }

            done += result.Value;
            if ((ulong)result.Value < batch.Aggregate(0UL, static (sum, v) => sum + v.Length))
            {
                break;
            }
        }

        return done;
    }

    protected static IReadOnlyList<IoVec> PrivateAnonymous(IEnumerable<VmaInfo> vmas) =>
        [.. vmas.Where(static v => !v.Shared && !v.FileBacked).Select(static v => new IoVec(v.Start, v.Length))];
}
