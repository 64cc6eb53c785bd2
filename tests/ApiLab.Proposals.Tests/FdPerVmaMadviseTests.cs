using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>Hocko's FD-per-VMA design (seed 000): "the fd is the cookie", one VMA at a time.</summary>
public sealed class FdPerVmaMadviseTests
{
    private static World Privileged() =>
        new(manager: Credentials.User(1000).With(Capability.SysNice, Capability.CheckpointRestore));

    [Fact]
    public void An_fd_names_exactly_one_vma_and_its_hint_lands_there()
    {
        var w = Privileged();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        var fd = api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 8 * Page.Size)).Value;
        Assert.Equal(0, api.Advise(fd, Advice.PageOut).Value);
        Assert.Equal(8, w.Target.Mm!.SwapEntries);
        Assert.Equal(Errno.ENOENT, api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, Page.Size)).Error);
    }

    [Fact]
    public void Opening_needs_cap_checkpoint_restore_like_map_files()
    {
        var w = new World();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        Assert.Equal(Errno.EPERM, api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 8 * Page.Size)).Error);
        var stranger = new FdPerVmaMadviseAdapter(w.Machine.Spawn(Credentials.User(4000).With(Capability.CheckpointRestore), "x").Value);
        Assert.Equal(Errno.EACCES, stranger.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 8 * Page.Size)).Error);
    }

    [Fact]
    public void A_changed_vma_makes_the_fd_stale_and_nothing_is_advised()
    {
        // Hocko: the fd "can be used to revalidate when the operation is requested and fail if something has changed".
        var w = Privileged();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        var fd = api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 8 * Page.Size)).Value;
        w.Target.Munmap(w.Heap, 8 * Page.Size);
        w.Target.Mmap(w.Heap, 8 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        w.Target.Store(w.Heap, 7);
        Assert.Equal(Errno.ESTALE, api.Advise(fd, Advice.PageOut).Error);
        Assert.Equal(0, w.Target.Mm!.SwapEntries);
    }

    [Fact]
    public void A_new_vma_appearing_inside_the_surveyed_range_goes_unnoticed()
    {
        // Colascione: "per-VMA fds cannot detect a new VMA appearing inside the range"; the cookie can (see CookieMadviseTests).
        var w = Privileged();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        w.Target.Munmap(w.Heap + (3 * Page.Size), Page.Size);
        var lower = api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 3 * Page.Size)).Value;
        var upper = api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap + (4 * Page.Size), 4 * Page.Size)).Value;
        w.Target.Mmap(w.Heap + (3 * Page.Size), Page.Size, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        Assert.True(api.Advise(lower, Advice.PageOut).IsOk);
        Assert.True(api.Advise(upper, Advice.PageOut).IsOk);
    }

    [Fact]
    public void Surveying_n_vmas_costs_a_syscall_per_vma()
    {
        var w = Privileged();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        var before = w.Machine.Stats.Syscalls;
        var vmas = api.ListVmas(new Pid(w.Target.Pid)).Value;
        foreach (var vma in vmas)
        {
            api.OpenVma(new Pid(w.Target.Pid), new IoVec(vma.Start, vma.Length));
        }

        Assert.Equal(before + 1 + vmas.Count, w.Machine.Stats.Syscalls);
    }

    [Fact]
    public void Destructive_advice_is_still_refused_on_a_foreign_mm()
    {
        var w = Privileged();
        var api = new FdPerVmaMadviseAdapter(w.Manager);
        var fd = api.OpenVma(new Pid(w.Target.Pid), new IoVec(w.Heap, 8 * Page.Size)).Value;
        Assert.Equal(Errno.EINVAL, api.Advise(fd, Advice.DontNeed).Error);
        Assert.Equal(Errno.EBADF, api.Advise(new VmaFd(55), Advice.PageOut).Error);
    }
}
