using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>The hand-written part of process_mrelease: the engine's pidfd_send_signal and process_mrelease.</summary>
public sealed partial class ProcessMreleaseAdapter
{
    private partial SysResult<int> ReleaseCore(Process target, uint flags) =>
        Caller.Machine.ProcessMrelease(Caller, PidfdOf(target), flags);

    private partial SysResult<int> KillCore(Process target, int signal, uint flags) =>
        Caller.Machine.PidfdSendSignal(Caller, PidfdOf(target), signal, flags);

    /// <summary>
    /// The generated adapter hands the core the process the pidfd resolved to, while the engine's syscalls take the fd:
    /// any pidfd the caller holds for that process resolves the same way, so the first one is passed on (PIDFD_SELF
    /// when the caller named itself).
    /// </summary>
    private Pidfd PidfdOf(Process target)
    {
        for (var fd = 0; fd < Caller.Fds.Limit; fd++)
        {
            if (Caller.Fds.Get(fd) is PidfdFile { } file && ReferenceEquals(file.Process, target))
            {
                return new Pidfd(fd);
            }
        }

        return Pidfd.Self;
    }
}
