namespace ApiLab.Engine;

/// <summary>receive_fd: what SCM_RIGHTS and pidfd_getfd share once their own checks passed.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Installs a new reference to <paramref name="file"/> (an open file of some process) in
    /// <paramref name="receiver"/>'s table: the new fd, or -1 when the table is full (EMFILE). No syscall is entered:
    /// for adapters that already entered theirs.
    /// </summary>
    public int ReceiveFd(Process receiver, object file)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(file);
        var fd = receiver.Fds.Install(file);
        if (fd >= 0)
        {
            AcquireFile(file);
        }

        return fd;
    }
}
