using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// Cooperation (Peter Xu, umap): the manager writes a request into the target's mailbox; the target's library, at the
/// next point where its own code is between operations, copies the pages into the manager's swap and zaps them with
/// its own madvise, one call per page. The manager then serves the faults as in the other designs.
/// </summary>
internal sealed class CooperativePager(ManagerLoopWorld world) : PagerDriver(world)
{
    private const ulong Request = 1;
    private readonly ICooperativeZap _library = new CooperativeZapAdapter(world.Target);

    public override IReadOnlyList<PagerStep> Steps =>
    [
        new("process_vm_writev(request -> mailbox)", () => Show(World.Machine.ProcessVmWritev(World.Manager, new Pid(World.Target.Pid),
            [new IoVec(World.RequestWord, sizeof(ulong))], [new IoVec(ManagerLoopWorld.MailboxBase, sizeof(ulong))], 0)),
            ManagerLoopWorld.TouchesTarget),
        Serve(),
        Serve(),
        Serve(),
    ];

    public override void AtSafePoint()
    {
        var target = World.Target;
        if (target.Load(ManagerLoopWorld.MailboxBase).ValueOrDefault != Request)
        {
            return;
        }

        target.Store(ManagerLoopWorld.MailboxBase, 0);
        var saved = World.Machine.ProcessVmWritev(target, new Pid(World.Manager.Pid), [World.HeapRange],
            [new IoVec(World.Swap, World.HeapRange.Length)], 0);
        if (!saved.IsOk || saved.Value != (long)World.HeapRange.Length)
        {
            return; // Nothing safely saved: the library keeps its pages.
        }

        World.Zapping(() =>
        {
            foreach (var page in World.EachPage)
            {
                var zapped = _library.ZapOwn(page, Advice.DontNeed);
                if (!zapped.IsOk)
                {
                    return zapped;
                }
            }

            return SysResult<int>.Ok(0);
        });
    }
}
