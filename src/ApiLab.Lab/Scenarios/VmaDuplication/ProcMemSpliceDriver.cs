using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>
/// Horn's splice: the process holding the data (the page server: here the source itself) splices it into the
/// restorer's /proc/pid/mem, one pipe-full per call. Without a source process there is nobody to push (ESRCH).
/// </summary>
public sealed class ProcMemSpliceDriver(Process restorer) : TransferDriver(restorer)
{
    public override bool NeedsMappedDestination => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        if (source is null)
        {
            return Errno.ESRCH;
        }

        IProcMemSplice api = new ProcMemSpliceAdapter(source);
        long done = 0;
        while ((ulong)done < length)
        {
            var spliced = api.Splice(new Pid(Restorer.Pid), src + (ulong)done, dst + (ulong)done, length - (ulong)done);
            if (!spliced.IsOk)
            {
                return done > 0 ? done : spliced.Error;
            }

            done += spliced.Value;
        }

        return done;
    }
}
