namespace ApiLab.Spec;

/// <summary>How a call names the process or mapping it acts on.</summary>
public enum TargetKind
{
    /// <summary>The caller's own mm.</summary>
    Self,
    /// <summary>A raw, recyclable pid (<see cref="ApiLab.Spec.Pid"/>).</summary>
    Pid,
    /// <summary>A pidfd (<see cref="ApiLab.Spec.Pidfd"/>).</summary>
    Pidfd,
    /// <summary>An fd naming one VMA (FD-per-VMA design).</summary>
    VmaFd,
    /// <summary>A userfaultfd whose registered ranges scope the call.</summary>
    Uffd,
    /// <summary>An fd opened on a /proc/&lt;pid&gt; file (e.g. a maps fd for PROCMAP_QUERY).</summary>
    ProcFd,
}
