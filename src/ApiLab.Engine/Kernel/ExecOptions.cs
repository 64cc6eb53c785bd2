namespace ApiLab.Engine;

/// <summary>
/// What the binary being exec'd decides (the ELF loader's side of execve): its path, its ABI, where its stack and
/// heap go. The engine has no ASLR, so the stack's "random" offset is a fixed, documented value, and the heap starts
/// where a small PIE's .bss ends with randomisation off (this host: 0x555555559000).
/// </summary>
public sealed record ExecOptions
{
    /// <summary>A native exec with the defaults below.</summary>
    public static ExecOptions Default { get; } = new();

    /// <summary>STACK_TOP for a 64-bit task: TASK_SIZE_LOW (DEFAULT_MAP_WINDOW), equal to STACK_TOP_MAX.</summary>
    public const ulong NativeStackTop = Mm.StackTopMax;

    /// <summary>STACK_TOP for a compat (ia32) task: IA32_PAGE_OFFSET.</summary>
    public const ulong CompatStackTop = 0xffffe000UL;

    /// <summary>STACK_RND_MASK for 64-bit tasks: 22 bits of pages (up to 16 GiB).</summary>
    public const ulong NativeStackRandomMask = 0x3fffffUL << 12;

    /// <summary>STACK_RND_MASK for compat tasks: 11 bits of pages (up to 8 MiB).</summary>
    public const ulong CompatStackRandomMask = 0x7ffUL << 12;

    /// <summary>The fixed stand-in for randomize_stack_top's offset on 64-bit: 8 GiB, half the range.</summary>
    public const ulong DefaultNativeStackRandomization = 0x200000000UL;

    /// <summary>The fixed stand-in for a compat task's offset: 4 MiB, half the range.</summary>
    public const ulong DefaultCompatStackRandomization = 0x400000UL;

    /// <summary>ELF_ET_DYN_BASE with randomisation off plus a small PIE's five pages: where brk starts (host-checked).</summary>
    public const ulong DefaultNativeStartBrk = 0x555555559000UL;

    /// <summary>The same for ia32: ELF_ET_DYN_BASE 0x56555000 plus five pages.</summary>
    public const ulong DefaultCompatStartBrk = 0x5655a000UL;

    /// <summary>mmap_base() for a compat task with randomisation off: TASK_SIZE minus the 128 MiB minimum gap.</summary>
    public const ulong CompatMmapBase = 0xf7ffe000UL;

    /// <summary>The pathname given to execve: copied first onto the stack, and its basename becomes comm.</summary>
    public string Filename { get; init; } = "/usr/bin/app";

    public ExecAbi Abi { get; init; } = ExecAbi.Native;

    /// <summary>The stack's offset below STACK_TOP in bytes (randomize_stack_top); masked with the ABI's
    /// STACK_RND_MASK like the random value is. Zero is ADDR_NO_RANDOMIZE (setarch -R): no relocation at all for a
    /// native task. Null: the ABI's default above.</summary>
    public ulong? StackRandomization { get; init; }

    /// <summary>PT_GNU_STACK's verdict (EXSTACK_*).</summary>
    public ExecutableStack ExecutableStack { get; init; } = ExecutableStack.Default;

    /// <summary>mm->start_brk; null: the ABI's default above.</summary>
    public ulong? StartBrk { get; init; }

    /// <summary>The stack top the binary asks setup_arg_pages for: STACK_TOP minus the (masked) randomisation.</summary>
    public ulong StackTop => Abi == ExecAbi.Compat32
        ? CompatStackTop - ((StackRandomization ?? DefaultCompatStackRandomization) & CompatStackRandomMask)
        : NativeStackTop - ((StackRandomization ?? DefaultNativeStackRandomization) & NativeStackRandomMask);

    internal ulong EffectiveStartBrk => StartBrk ?? (Abi == ExecAbi.Compat32 ? DefaultCompatStartBrk : DefaultNativeStartBrk);

    internal ulong MmapBase => Abi == ExecAbi.Compat32 ? CompatMmapBase : Mm.DefaultMmapBase;
}

/// <summary>The new image's ABI.</summary>
public enum ExecAbi
{
    /// <summary>A 64-bit task.</summary>
    Native,

    /// <summary>An ia32 task on a 64-bit kernel: its stack ends below 4 GiB, so exec's page-table move is always a
    /// long one (Miller's complaint in seed 004). The engine does not enforce the 32-bit TASK_SIZE on later mmaps.</summary>
    Compat32,
}

/// <summary>EXSTACK_*: what PT_GNU_STACK asks for the stack's VM_EXEC.</summary>
public enum ExecutableStack
{
    Default,
    Disable,
    Enable,
}
