using System.Globalization;
using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>
/// The memory pressure: a process with CAP_IPC_LOCK maps and populates locked memory the size of the machine, so
/// direct reclaim takes everything it can (droppable pages dropped, plain ones swapped) and then nothing is left for
/// anyone's fault; later it unmaps it all. The OOM killer may take it first (it is the biggest process).
/// </summary>
internal sealed class MemoryHog(Machine machine)
{
    private ulong _region;

    public Process Process { get; } = machine.Spawn(Credentials.User(1001).With(Capability.IpcLock), "hog").Value;

    private ulong Bytes => (ulong)machine.Frames.Capacity * Page.Size;

    /// <summary>mmap(MAP_LOCKED | MAP_POPULATE) of every frame; returns the step's outcome text.</summary>
    public string Squeeze()
    {
        var mapped = Process.Mmap(0, Bytes, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked | MapFlags.Populate);
        _region = mapped.ValueOrDefault;
        return mapped.IsOk ? string.Create(CultureInfo.InvariantCulture, $"{machine.Frames.FreeCount} frames free") : $"-{mapped.Error}";
    }

    /// <summary>munmap of the region; returns the step's outcome text.</summary>
    public string Release()
    {
        if (Process.State != ProcessState.Running)
        {
            return "hog was OOM-killed";
        }

        if (_region == 0)
        {
            return "nothing mapped";
        }

        var unmapped = Process.Munmap(_region, Bytes);
        return unmapped.IsOk ? "0" : $"-{unmapped.Error}";
    }
}
