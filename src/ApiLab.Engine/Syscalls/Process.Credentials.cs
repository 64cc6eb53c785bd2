using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>Changing a process's uids (kernel/sys.c, security/commoncap.c).</summary>
public sealed partial class Process
{
    /// <summary>
    /// setresuid(2), -1 meaning "unchanged": without CAP_SETUID each new id must be one of the current real,
    /// effective or saved uids (EPERM). Leaving uid 0 drops every capability (cap_task_fix_setuid without
    /// SECBIT_KEEP_CAPS), and a changed euid makes the mm non-dumpable (commit_creds → set_dumpable(suid_dumpable),
    /// 0 on this host), so even same-uid ptrace access then needs CAP_SYS_PTRACE.
    /// </summary>
    public SysResult<int> SetResUid(int ruid, int euid, int suid)
    {
        using var scope = Machine.EnterSyscall(this, "setresuid");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var old = Credentials;
        var oldSuid = old.Euid; // the engine keeps suid equal to euid
        var newRuid = ruid == -1 ? old.Uid : ruid;
        var newEuid = euid == -1 ? old.Euid : euid;
        var newSuid = suid == -1 ? oldSuid : suid;
        if (!old.Has(Capability.SetUid))
        {
            foreach (var id in (ReadOnlySpan<int>)[ruid, euid, suid])
            {
                if (id != -1 && id != old.Uid && id != old.Euid && id != oldSuid)
                {
                    return Errno.EPERM;
                }
            }
        }

        var capabilities = old.Capabilities;
        var wasRoot = old.Uid == 0 || old.Euid == 0 || oldSuid == 0;
        if (wasRoot && newRuid != 0 && newEuid != 0 && newSuid != 0)
        {
            capabilities = new HashSet<Capability>();
        }

        Credentials = new Credentials(newRuid, newEuid, newEuid, capabilities);
        if (newEuid != old.Euid)
        {
            Dumpable = 0;
        }

        return 0;
    }

    /// <summary>prctl(PR_SET_DUMPABLE, value): only SUID_DUMP_DISABLE (0) and SUID_DUMP_USER (1) are accepted.</summary>
    public SysResult<int> PrctlSetDumpable(int value)
    {
        using var scope = Machine.EnterSyscall(this, "prctl");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (value is not (0 or 1))
        {
            return Errno.EINVAL;
        }

        Dumpable = value;
        return 0;
    }
}
