using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>The hand-written part of the splice design: mem_rw's page-by-page copy into the target.</summary>
public sealed partial class ProcMemSpliceAdapter
{
    /// <summary>How much one splice moves: a pipe grown to the default pipe-max-size (1 MiB).</summary>
    public const ulong PipeBytes = 1UL << 20;

    private partial SysResult<long> SpliceCore(Process target, ulong localAddress, ulong remoteAddress, ulong length)
    {
        var mm = target.Mm!;
        var stats = Caller.Machine.Stats;
        var end = remoteAddress + Math.Min(length, PipeBytes);
        long done = 0;
        for (var address = remoteAddress; address < end;)
        {
            var chunk = Math.Min(Page.Size - (address & Page.Mask), end - address);
            // vmsplice took the caller's page (its own load, faulting or swapping it in), mem_rw writes it over.
            var value = Caller.Load(localAddress + (ulong)done);
            var written = value.IsOk ? mm.AccessRemote(Caller, address, write: true, value.Value) : value.Error;
            if (!written.IsOk)
            {
                break;
            }

            stats.PagesCopied++;
            done += (long)chunk;
            address += chunk;
        }

        stats.BytesCopied += done;
        return done > 0 || length == 0 ? done : Errno.EIO;
    }
}
