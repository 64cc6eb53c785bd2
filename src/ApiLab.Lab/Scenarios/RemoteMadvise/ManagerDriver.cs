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

    protected static IReadOnlyList<IoVec> PrivateAnonymous(IEnumerable<VmaInfo> vmas) =>
        [.. vmas.Where(static v => !v.Shared && !v.FileBacked).Select(static v => new IoVec(v.Start, v.Length))];
}
