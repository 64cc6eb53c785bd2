using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>A manager and a target with a populated private anonymous mapping, on a checked machine.</summary>
internal sealed class World
{
    public World(Credentials? manager = null, Credentials? target = null)
    {
        Machine = new Machine(new MachineConfig { Frames = 1024, SwapSlots = 1024, CheckInvariants = true });
        Manager = Machine.Spawn(manager ?? Credentials.User(1000).With(Capability.SysNice), "manager").Value;
        Target = Machine.Spawn(target ?? Credentials.User(1000), "target").Value;
        Heap = Target.Mm!.MmapAnonymous(0, 8 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        for (var i = 0UL; i < 8; i++)
        {
            Target.Store(Heap + (i * Page.Size), 100 + i);
        }

        Pidfd = Machine.PidfdOpen(Manager, new Pid(Target.Pid), 0).Value;
    }

    public Machine Machine { get; }

    public Process Manager { get; }

    public Process Target { get; }

    public ulong Heap { get; }

    public Pidfd Pidfd { get; }

    public IoVec[] WholeHeap => [new IoVec(Heap, 8 * Page.Size)];
}
