using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>
/// The debate's common shape: hand the heap at <c>src</c> of one process to the restored process at <c>dst</c>. One
/// driver per design is the client code a restorer using that design would write. A transfer returns the bytes the
/// destination now holds from the source (what the world's private-memory ledger then records).
/// </summary>
public abstract class TransferDriver(Process restorer)
{
    /// <summary>The restored process (the destination of every transfer).</summary>
    protected Process Restorer { get; } = restorer;

    /// <summary>The source's pages leave it (Lutomirski's move): its ledger is zeroed for what was transferred.</summary>
    public virtual bool MovesPages => false;

    /// <summary>The destination range must be mapped before the transfer (designs that copy into existing pages).</summary>
    public virtual bool NeedsMappedDestination => false;

    /// <summary>One transfer of the heap of process <paramref name="pid"/> (which may not exist: a raw pid). The
    /// process itself is given too when it exists, for designs where the source side makes the call.</summary>
    public abstract SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst);
}
