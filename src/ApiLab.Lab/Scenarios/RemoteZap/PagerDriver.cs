using System.Globalization;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// The memory manager of seed 001 as one design lets it be written: the client code a user of that design would write.
/// Every driver has the same number of steps (the explorer's schedules are per scenario); a design with less to do
/// keeps serving its userfaultfd, which a pager loop does anyway.
/// </summary>
internal abstract class PagerDriver(ManagerLoopWorld world)
{
    protected ManagerLoopWorld World { get; } = world;

    /// <summary>The manager's steps, in order.</summary>
    public abstract IReadOnlyList<PagerStep> Steps { get; }

    /// <summary>Runs in the target's own thread at each point where its code is between operations (cooperative
    /// designs do their work here); nothing by default.</summary>
    public virtual void AtSafePoint()
    {
    }

    protected PagerStep Serve() => new("serve faults: read(uffd) + UFFDIO_COPY", World.ServeOne, ManagerLoopWorld.TouchesTarget);

    protected static string Show<T>(SysResult<T> result) =>
        result.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{result.Value}") : $"-{result.Error}";
}
