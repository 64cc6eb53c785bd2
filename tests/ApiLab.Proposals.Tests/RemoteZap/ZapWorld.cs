using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>
/// Seed 001's setting on a checked machine: a target with a private anonymous heap (page i holds 100 + i), a manager
/// with a pidfd on it and its own "swap" buffer, and (when asked) the target's userfaultfd registered MISSING | WP over
/// the heap, taken by the manager with pidfd_getfd.
/// </summary>
internal sealed class ZapWorld
{
    public const int Pages = 8;

    public ZapWorld(Credentials? manager = null, Credentials? target = null, bool uffd = false,
        UffdFeatures features = UffdFeatures.None)
    {
        Machine = new Machine(new MachineConfig { Frames = 1024, SwapSlots = 1024, CheckInvariants = true });
        Manager = Machine.Spawn(manager ?? Credentials.User(1000).With(Capability.SysNice, Capability.SysPtrace), "manager").Value;
        Target = Machine.Spawn(target ?? Credentials.User(1000), "target").Value;
        Heap = Target.Mm!.MmapAnonymous(0, Pages * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        for (var i = 0; i < Pages; i++)
        {
            Target.Store(PageAt(i), 100 + (ulong)i);
        }

        Swap = Manager.Mm!.MmapAnonymous(0, Pages * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        Pidfd = Machine.PidfdOpen(Manager, new Pid(Target.Pid), 0).Value;
        if (uffd)
        {
            // The target's library creates and registers the userfaultfd (unprivileged: user-mode faults only).
            TargetUffd = Machine.Userfaultfd(Target, UffdFlags.UserModeOnly | UffdFlags.NonBlock).Value;
            Assert.True(Machine.UffdioApi(Target, TargetUffd, Machine.UffdApiVersion, features).IsOk);
            Assert.True(Machine.UffdioRegister(Target, TargetUffd, Heap, Pages * Page.Size,
                UffdRegisterMode.Missing | UffdRegisterMode.Wp).IsOk);
            if (PtraceAccess.MayAccess(Manager, Target, PtraceMode.AttachRealCreds))
            {
                ManagerUffd = Machine.PidfdGetfd(Manager, Pidfd, TargetUffd, 0).Value;
            }
        }
    }

    public Machine Machine { get; }

    public Process Manager { get; }

    public Process Target { get; }

    public ulong Heap { get; }

    public ulong Swap { get; }

    public Pidfd Pidfd { get; }

    public int TargetUffd { get; } = -1;

    public int ManagerUffd { get; } = -1;

    public IoVec WholeHeap => new(Heap, Pages * Page.Size);

    public ulong PageAt(int i) => Heap + ((ulong)i * Page.Size);

    /// <summary>Each heap page as its own iovec entry (what a manager picking cold pages sends).</summary>
    public IoVec[] EachPage => [.. Enumerable.Range(0, Pages).Select(i => new IoVec(PageAt(i), Page.Size))];

    /// <summary>The frame mapped at heap page <paramref name="i"/> (ground truth), or -1.</summary>
    public int FrameAt(int i)
    {
        var pte = Target.Mm!.PageTable.Get(Page.ToVpn(PageAt(i)));
        return Pte.IsPresent(pte) ? Pte.Index(pte) : -1;
    }

    /// <summary>Seed 001 steps 2-3: process_vm_readv of the whole heap into the manager's swap.</summary>
    public void ReadOut() =>
        Assert.Equal(Pages * (long)Page.Size,
            Machine.ProcessVmReadv(Manager, new Pid(Target.Pid), [new IoVec(Swap, Pages * Page.Size)], [WholeHeap], 0).Value);

    /// <summary>Seed 001's fault-in: read the fault message and UFFDIO_COPY the page back from the manager's swap.</summary>
    public void ServeOneFault()
    {
        var fault = Machine.UffdRead(Manager, ManagerUffd).Value;
        Assert.Equal(UffdEventType.Pagefault, fault.Event);
        var copy = Machine.UffdioCopy(Manager, ManagerUffd, fault.Address, Swap + (fault.Address - Heap), Page.Size,
            UffdCopyMode.None, out _);
        Assert.True(copy.IsOk, $"UFFDIO_COPY: {copy}");
    }
}
