namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>Shorthands for the userfaultfd calls the tests repeat.</summary>
internal static class UffdTestSupport
{
    /// <summary>A process with root's credentials (CAP_SYS_PTRACE: kernel-mode userfaults and EVENT_FORK allowed).</summary>
    public static Process Root(this Machine machine, string comm = "root") => machine.Spawn(Credentials.Root, comm).Value;

    /// <summary>userfaultfd(O_NONBLOCK | flags) + UFFDIO_API with <paramref name="features"/>; returns the fd.</summary>
    public static int OpenUffd(this Machine machine, Process process, UffdFeatures features = UffdFeatures.None, UffdFlags flags = UffdFlags.NonBlock)
    {
        var fd = machine.Userfaultfd(process, flags);
        Assert.True(fd.IsOk, $"userfaultfd: {fd}");
        var api = machine.UffdioApi(process, fd.Value, Machine.UffdApiVersion, features);
        Assert.True(api.IsOk, $"UFFDIO_API: {api}");
        return fd.Value;
    }

    public static void Register(this Machine machine, Process caller, int fd, ulong start, int pages, UffdRegisterMode mode)
    {
        var result = machine.UffdioRegister(caller, fd, start, (ulong)pages * Page.Size, mode);
        Assert.True(result.IsOk, $"UFFDIO_REGISTER: {result}");
    }

    public static UffdMessage ReadMessage(this Machine machine, Process reader, int fd)
    {
        var message = machine.UffdRead(reader, fd);
        Assert.True(message.IsOk, $"read(uffd): {message}");
        return message.Value;
    }

    public static void WriteProtect(this Machine machine, Process caller, int fd, ulong start, int pages, bool protect = true)
    {
        var mode = protect ? UffdWriteprotectMode.Wp : UffdWriteprotectMode.None;
        var result = machine.UffdioWriteprotect(caller, fd, start, (ulong)pages * Page.Size, mode);
        Assert.True(result.IsOk, $"UFFDIO_WRITEPROTECT: {result}");
    }

    /// <summary>UFFDIO_COPY of <paramref name="pages"/> pages; asserts it copied them all.</summary>
    public static void Copy(this Machine machine, Process caller, int fd, ulong dst, ulong src, int pages, UffdCopyMode mode = UffdCopyMode.None)
    {
        var result = machine.UffdioCopy(caller, fd, dst, src, (ulong)pages * Page.Size, mode, out var copied);
        Assert.True(result.IsOk, $"UFFDIO_COPY: {result} (copy {copied})");
        Assert.Equal(pages * (long)Page.Size, copied);
    }
}
