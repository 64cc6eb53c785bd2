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
}
