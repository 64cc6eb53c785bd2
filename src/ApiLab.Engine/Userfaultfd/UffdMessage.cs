namespace ApiLab.Engine;

/// <summary>
/// One struct uffd_msg as read(2) returns it: an event number and the 24-byte argument union, kept as three words in
/// the C layout so that each event's accessors read the same bytes the kernel writes.
/// </summary>
public readonly record struct UffdMessage(UffdEventType Event, ulong Arg0, ulong Arg1, ulong Arg2)
{
    /// <summary>pagefault.flags.</summary>
    public UffdPagefaultFlags PagefaultFlags => (UffdPagefaultFlags)Arg0;

    /// <summary>pagefault.address: page-aligned, or exact with UFFD_FEATURE_EXACT_ADDRESS.</summary>
    public ulong Address => Arg1;

    /// <summary>pagefault.feat.ptid: the faulting thread's pid with UFFD_FEATURE_THREAD_ID, else 0.</summary>
    public int ThreadId => (int)Arg2;

    /// <summary>fork.ufd: the new userfaultfd, installed in the reader's fd table when the message is read.</summary>
    public int ForkFd => (int)Arg0;

    /// <summary>remap.from.</summary>
    public ulong RemapFrom => Arg0;

    /// <summary>remap.to.</summary>
    public ulong RemapTo => Arg1;

    /// <summary>remap.len (the old length, after a shrinking move has cut it).</summary>
    public ulong RemapLength => Arg2;

    /// <summary>remove.start (UFFD_EVENT_REMOVE and UFFD_EVENT_UNMAP).</summary>
    public ulong Start => Arg0;

    /// <summary>remove.end (UFFD_EVENT_REMOVE and UFFD_EVENT_UNMAP).</summary>
    public ulong End => Arg1;

    internal static UffdMessage Pagefault(UffdPagefaultFlags flags, ulong address, int threadId) =>
        new(UffdEventType.Pagefault, (ulong)flags, address, (ulong)(uint)threadId);

    internal static UffdMessage Remap(ulong from, ulong to, ulong length) => new(UffdEventType.Remap, from, to, length);

    internal static UffdMessage Remove(ulong start, ulong end) => new(UffdEventType.Remove, start, end, 0);

    internal static UffdMessage Unmap(ulong start, ulong end) => new(UffdEventType.Unmap, start, end, 0);

    public override string ToString() => Event switch
    {
        UffdEventType.Pagefault => $"PAGEFAULT 0x{Address:x} {PagefaultFlags}",
        UffdEventType.Fork => $"FORK ufd={ForkFd}",
        UffdEventType.Remap => $"REMAP 0x{RemapFrom:x} -> 0x{RemapTo:x} len 0x{RemapLength:x}",
        _ => $"{Event.ToString().ToUpperInvariant()} 0x{Start:x}-0x{End:x}",
    };
}
