using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// A user store as the CPU and each design's fault handler carry it out. The engine's fault path is Linux 6.18's: a
/// write fault that finds no memory reports VM_FAULT_OOM (ENOMEM). What happens next is the design's
/// <see cref="WriteFaultPolicy"/>, which v14 applied to VM_DROPPABLE mappings only; every other mapping gets the OOM
/// killer, as in mainline.
/// </summary>
public static class UserStore
{
    public static StoreResult Write(Process writer, ulong address, ulong value, WriteFaultPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Process? victim = null;
        while (true)
        {
            var stored = writer.Store(address, value);
            if (stored.IsOk)
            {
                return new StoreResult(StoreOutcome.Written, OomVictim: victim);
            }

            if (stored.Error != Errno.ENOMEM)
            {
                return new StoreResult(StoreOutcome.Faulted, stored.Error, victim);
            }

            var droppable = writer.Mm?.Vmas.Find(address) is { } vma && (vma.Flags & VmFlags.Droppable) != 0;
            switch (droppable ? policy : WriteFaultPolicy.OomKill)
            {
                case WriteFaultPolicy.SkipWrite:
                    return new StoreResult(StoreOutcome.Skipped, OomVictim: victim);
                case WriteFaultPolicy.RetryFault:
                    return new StoreResult(StoreOutcome.Retrying, OomVictim: victim);
            }

            // pagefault_out_of_memory: kill the worst task, then the instruction runs again.
            var killed = writer.Machine.OutOfMemory();
            if (killed is null)
            {
                // Nothing left to kill: the fault keeps being retried (the task is stuck, as in RetryFault).
                return new StoreResult(StoreOutcome.Retrying, OomVictim: victim);
            }

            victim ??= killed;
            if (ReferenceEquals(killed, writer))
            {
                return new StoreResult(StoreOutcome.Killed, OomVictim: killed);
            }
        }
    }
}
