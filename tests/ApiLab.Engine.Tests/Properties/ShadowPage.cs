namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// What one mapped page must look like to its process, independently of how the engine stores it. Values a program
/// may legitimately see change under it (MADV_FREE'd or droppable pages: the value or zero) are marked so.
/// </summary>
internal sealed record ShadowPage
{
    public required Prot Prot { get; init; }

    /// <summary>Shared object id and page index, or -1 for private memory.</summary>
    public int Object { get; init; } = -1;

    public long Index { get; init; }

    /// <summary>The private value (shared values live in <see cref="ShadowWorld.SharedValues"/>).</summary>
    public ulong Value { get; init; }

    /// <summary>MADV_FREE'd and not written since: reclaim may have discarded it (reads zero).</summary>
    public bool Lazy { get; init; }

    public bool Droppable { get; init; }

    public bool Guard { get; init; }

    public bool DontFork { get; init; }

    public bool WipeOnFork { get; init; }

    /// <summary>In a VM_LOCKED VMA.</summary>
    public bool Locked { get; init; }

    /// <summary>mlock populated it and succeeded: reclaim must never take it away (private anonymous pages only: a
    /// file page can still be punched or truncated away through another mapping).</summary>
    public bool Resident { get; init; }

    public bool Sealed { get; init; }

    /// <summary>The memfd or regular file a file mapping maps (its page <see cref="Index"/>), or -1. For a shared file
    /// mapping it equals <see cref="Object"/>; a private one reads the file until it has a copy of its own.</summary>
    public int File { get; init; } = -1;

    /// <summary>A private file page that has its own copy-on-write copy (<see cref="Value"/>), no longer the file's.</summary>
    public bool Cow { get; init; }

    /// <summary>A private file page that populate (mlock, MCL_FUTURE) may have copied: it reads either the file or
    /// <see cref="Value"/> (the file's value then) until a read or write tells which.</summary>
    public bool MaybeCow { get; init; }

    public bool IsFile => File >= 0;

    /// <summary>A private file page still reading the file.</summary>
    public bool ReadsFile => IsFile && !IsShared && !Cow;

    /// <summary>can_madvise_modify: a discard advice on this page is EPERM (sealed, private anonymous, not writable).</summary>
    public bool SealBlocksDiscard => Sealed && !IsShared && !IsFile && (Prot & Prot.Write) == 0;

    public bool IsShared => Object >= 0;

    /// <summary>Reads may legitimately return zero instead of <see cref="Value"/>.</summary>
    public bool MayReadZero => !IsShared && (Lazy || Droppable);

    public bool Readable => !Guard && Prot != Prot.None;

    public bool Writable => !Guard && (Prot & Prot.Write) != 0;
}
