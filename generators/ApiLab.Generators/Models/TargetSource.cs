namespace ApiLab.Generators.Models;

/// <summary>Where the adapter gets the target process from.</summary>
internal enum TargetSource
{
    /// <summary>The caller itself (Self, VmaFd, Uffd: the design's core resolves any fd).</summary>
    Caller,

    /// <summary>A raw pid parameter, resolved with <c>Machine.ResolvePid</c>.</summary>
    Pid,

    /// <summary>A pidfd parameter, resolved with <c>Machine.ResolvePidfd</c>.</summary>
    Pidfd,
}
