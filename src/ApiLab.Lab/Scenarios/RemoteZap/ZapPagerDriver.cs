using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// Nadav's loop (seed 001, 2021-09-27): (1) write-protect with UFFD-WP, (2) process_vm_readv into the manager's swap,
/// (3)-(4) zap, then serve the faults with UFFDIO_COPY. Without <paramref name="protect"/> step 1 is left out, which is
/// the variant Hildenbrand asked about ("How would the target ... make sure that the target process doesn't suddenly
/// lose data?").
/// </summary>
internal abstract class ZapPagerDriver(ManagerLoopWorld world, bool protect) : PagerDriver(world)
{
    public override IReadOnlyList<PagerStep> Steps =>
    [
        .. protect ? [new PagerStep("UFFDIO_WRITEPROTECT(heap) [Freezes]", () => Show(WriteProtect()), ManagerLoopWorld.TouchesTarget)] : Array.Empty<PagerStep>(),
        new("process_vm_readv(heap -> swap)", () => Show(World.ReadOut()), ManagerLoopWorld.TouchesTarget),
        new(ZapLabel, () => Show(World.Zapping(Zap)), ManagerLoopWorld.TouchesTarget),
        Serve(),
    ];

    protected abstract string ZapLabel { get; }

    protected abstract SysResult<int> WriteProtect();

    protected abstract SysResult<long> Zap();
}
