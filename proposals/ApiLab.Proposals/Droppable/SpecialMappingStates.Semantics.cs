using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>The hand-written part of the special-mapping design: the mapping it installs and its fault policy.</summary>
public sealed partial class SpecialMappingStatesAdapter
{
    /// <summary>Name of the mapping in /proc/pid/maps (UNCONFIRMED).</summary>
    public const string MappingName = "[vgetrandom]";

    /// <summary>-&gt;fault has no page to give: VM_FAULT_OOM, as for any memory (UNCONFIRMED).</summary>
    public const WriteFaultPolicy FaultPolicy = WriteFaultPolicy.OomKill;

    /// <summary>The vm_special_mapping: unmapped on fork, never written out.</summary>
    public static SpecialMapping Mapping { get; } = new(MappingName) { FreshOnFork = true, DiscardOnEvict = true };

    /// <summary>A store by the caller into its own memory, as this design's kernel handles its faults.</summary>
    public StoreResult Store(ulong address, ulong value) => UserStore.Write(Caller, address, value, FaultPolicy);

    private partial SysResult<ulong> AllocCore(Process target, ulong num, ulong sizePerEach, ulong addr, uint flags) =>
        VgetrandomAlloc.Allocate(target, num, sizePerEach,
            static (mm, bytes) => mm.InstallSpecialMapping(bytes, Prot.ReadWrite, Mapping));
}
