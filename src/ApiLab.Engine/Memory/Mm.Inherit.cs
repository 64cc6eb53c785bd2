namespace ApiLab.Engine;

/// <summary>What a new mm takes from the one it copies (fork) or replaces (exec): dup_mm and mm_init.</summary>
public sealed partial class Mm
{
    /// <summary>VM_INIT_DEF_MASK (x86-64: VM_NOHUGEPAGE): the only def_flags a new mm inherits, so mlockall(MCL_FUTURE)
    /// survives neither fork nor exec (both host-checked).</summary>
    private const VmFlags InitDefMask = VmFlags.NoHugePage;

    /// <summary>dup_mm at fork: the child's mm_struct starts as a copy (brk, stack and argument addresses), then
    /// mm_init keeps only the inheritable def_flags and the dump filter.</summary>
    internal void InheritInto(Mm child)
    {
        child.StartBrk = StartBrk;
        child.Brk = Brk;
        child.StartStack = StartStack;
        child.ArgStart = ArgStart;
        InheritForExec(child);
    }

    /// <summary>mm_alloc at exec (mm_init with the old mm as current->mm): the coredump filter survives execve
    /// (host-checked through sh's fork and exec of cat), the def_flags only through VM_INIT_DEF_MASK.</summary>
    internal void InheritForExec(Mm next)
    {
        next.DefFlags = DefFlags & InitDefMask;
        next.CoredumpFilter = CoredumpFilter;
    }
}
