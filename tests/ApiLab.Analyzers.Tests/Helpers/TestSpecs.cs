namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>
/// Two tiny designs of the remote-madvise debate, written the way proposals are, plus hand-written stand-ins for the
/// generated adapters (whose members carry no attributes, so calls through them test the adapter-to-spec mapping).
/// The specs are well-formed (SpecShapeAnalyzerTests checks), so any rule's tests can use them.
/// </summary>
internal static class TestSpecs
{
    public const string Madvise = """
        using System;
        using ApiLab.Spec;

        namespace Demo;

        [Proposal("remote-madvise", "mainline", Seed = "000_test.txt")]
        public partial interface IMainlineMadvise
        {
            [Syscall("read:/proc/pid/maps"), Target(TargetKind.Pid), Snapshot]
            SysResult<VmaInfo[]> ReadMaps(Pid target);

            [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall), PartialResult]
            SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);

            [Syscall("munmap"), Target(TargetKind.Pidfd), InvalidatesLayout]
            SysResult<long> Unmap(Pidfd target, ulong start, ulong length);
        }

        [Proposal("remote-madvise", "cookie", Seed = "000_test.txt")]
        public partial interface ICookieMadvise
        {
            [Syscall("process_vm_getinfo"), Target(TargetKind.Pidfd), Snapshot(RevalidatedBy = typeof(LayoutCookie))]
            SysResult<VmaSnapshot> QueryVmas(Pidfd target);

            [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall), PartialResult]
            SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [Revalidates] LayoutCookie cookie);

            [Syscall("munmap"), Target(TargetKind.Pidfd), InvalidatesLayout]
            SysResult<long> Unmap(Pidfd target, ulong start, ulong length);
        }

        public sealed class MainlineMadviseAdapter : IMainlineMadvise
        {
            public SysResult<VmaInfo[]> ReadMaps(Pid target) => Errno.ENOSYS;
            public SysResult<long> Advise(Pidfd target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) => Errno.ENOSYS;
            public SysResult<long> Unmap(Pidfd target, ulong start, ulong length) => Errno.ENOSYS;
        }

        public sealed class CookieMadviseAdapter : ICookieMadvise
        {
            public SysResult<VmaSnapshot> QueryVmas(Pidfd target) => Errno.ENOSYS;
            public SysResult<long> Advise(Pidfd target, ReadOnlySpan<IoVec> ranges, Advice advice, LayoutCookie cookie) => Errno.ENOSYS;
            public SysResult<long> Unmap(Pidfd target, ulong start, ulong length) => Errno.ENOSYS;
        }
        """;

    /// <summary>
    /// Small specs for the usage rules APILAB1002-1007 (debates the real proposals are still being written for):
    /// the 2019 pid form of process_madvise, signals with a pid and a pidfd overload plus pidfd_open/close, Nadav Amit's
    /// write-protect-then-zap manager (seed 001), and anonymous vs droppable memory with a store (seed 002).
    /// Well-formed (SpecShapeAnalyzerTests checks).
    /// </summary>
    public const string Rules = """
        using System;
        using ApiLab.Spec;

        namespace Demo;

        /// <summary>A userfaultfd (test stand-in).</summary>
        [Handle]
        public readonly record struct Uffd(int Fd);

        [Proposal("remote-madvise", "pid", Seed = "000_test.txt")]
        public partial interface IPidMadvise
        {
            [Syscall("process_madvise"), Target(TargetKind.Pid), Hint, Vectored(TlbFlush.OncePerCall), PartialResult]
            SysResult<long> Advise(Pid target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);
        }

        [Proposal("signals", "transition", Seed = "000_test.txt")]
        public partial interface ISignals
        {
            [Syscall("kill"), Target(TargetKind.Pid), Requires(PtraceMode.None, Capability.Kill)]
            SysResult<int> Kill(Pid target, int signal);

            [Syscall("pidfd_send_signal"), Target(TargetKind.Pidfd), Requires(PtraceMode.None, Capability.Kill)]
            SysResult<int> Kill(Pidfd target, int signal);

            [Syscall("pidfd_open"), Target(TargetKind.Pid)]
            SysResult<Pidfd> Open(Pid target);

            [Syscall("close"), Target(TargetKind.Self)]
            SysResult<int> Close([Releases] Pidfd target);
        }

        [Proposal("remote-zap", "uffd-wp", Seed = "001_test.txt")]
        public partial interface IRemoteZap
        {
            [Syscall("userfaultfd"), Target(TargetKind.Self)]
            SysResult<Uffd> OpenUffd();

            [Syscall("close"), Target(TargetKind.Self)]
            SysResult<int> CloseUffd([Releases] Uffd uffd);

            [Syscall("ioctl:UFFDIO_WRITEPROTECT"), Target(TargetKind.Uffd), Freezes]
            SysResult<int> WriteProtect(Uffd uffd, [TargetRange] ReadOnlySpan<IoVec> ranges);

            [Syscall("kill:SIGSTOP"), Target(TargetKind.Pidfd), Freezes]
            SysResult<int> Stop(Pidfd target);

            [Syscall("process_vm_readv"), Target(TargetKind.Pidfd), Requires(PtraceMode.AttachRealCreds), Vectored(TlbFlush.OncePerCall), PartialResult]
            SysResult<long> Read(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges);

            [Syscall("process_madvise"), Target(TargetKind.Pidfd), TargetVisible, Vectored(TlbFlush.OncePerCall), PartialResult]
            [Requires(PtraceMode.ReadFsCreds, Capability.SysNice)]
            SysResult<long> Zap(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges);

            [Syscall("madvise"), Target(TargetKind.Self), TargetVisible]
            SysResult<int> ZapOwn([TargetRange] IoVec range);
        }

        [Proposal("droppable", "flags", Seed = "002_test.txt")]
        public partial interface IMemory
        {
            [Syscall("mmap"), Target(TargetKind.Self), Allocates]
            SysResult<ulong> MapAnonymous(ulong length);

            [Syscall("mmap:MAP_DROPPABLE"), Target(TargetKind.Self), Allocates(ExcludedFromDump = true, HiddenFromChild = true, MayVanish = true)]
            SysResult<ulong> MapDroppable(ulong length);

            [Syscall("store"), Target(TargetKind.Self)]
            SysResult<int> Store(ulong address, [Payload(Into = nameof(address))] byte[] data);
        }
        """;
}
