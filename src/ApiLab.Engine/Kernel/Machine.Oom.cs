namespace ApiLab.Engine;

/// <summary>The OOM killer (mm/oom_kill.c), for a fault that returned VM_FAULT_OOM (pagefault_out_of_memory).</summary>
public sealed partial class Machine
{
    /// <summary>
    /// out_of_memory → select_bad_process: kills the running process with the highest oom_badness (resident pages plus
    /// swap entries; the engine has no page-table pages and no oom_score_adj), the first in pid order on a tie (a later
    /// task must score strictly higher to be chosen), never pid 1. The victim's memory is freed at once, as the OOM
    /// reaper would. Returns the victim, or null when no process has any memory to give back.
    /// </summary>
    public Process? OutOfMemory()
    {
        Process? victim = null;
        long worst = 0;
        foreach (var pid in _byPid.Keys.Order())
        {
            var process = _byPid[pid];
            if (pid == 1 || process.State != ProcessState.Running || process.Mm is not { } mm)
            {
                continue;
            }

            var points = mm.RssAnon + mm.RssShmem + mm.SwapEntries;
            if (points > worst)
            {
                victim = process;
                worst = points;
            }
        }

        if (victim is not null)
        {
            victim.KillPending = true;
            Exit(victim);
        }

        return victim;
    }
}
