namespace ApiLab.Engine;

/// <summary>
/// Where exec keeps the argument pages between copy_strings and the new image's stack: the question of seed 004
/// ("[RFC][PATCHSET] mremap/mmap mess", Dec 2009). Only <see cref="TemporaryStack"/> is what Linux does; the others
/// model the alternatives argued in the thread, for the exec-args debate.
/// </summary>
public enum ExecArgStaging
{
    /// <summary>Linux since 2.6.23 (b6a2fea39318), still 6.18: a temporary stack VMA of the new mm at STACK_TOP_MAX,
    /// filled with get_user_pages_remote on bprm->mm, then moved down by relocate_vma_down.</summary>
    TemporaryStack,

    /// <summary>Al Viro: kernel pages on a list off bprm (the pre-2.6.23 MAX_ARG_PAGES array, as a list), installed
    /// into the new stack after the switch. Off every LRU: reclaim cannot free them.</summary>
    KernelPageList,

    /// <summary>Al Viro's follow-up: the pages of an inode embedded in bprm ("a very trimmed-down analog of shmem.c"),
    /// so reclaim can swap them; after the switch they are swapped in as needed and stolen into anonymous pages.</summary>
    ArgInode,

    /// <summary>Hugh Dickins: build the strings below sp on the execer's own stack (the old mm), then migrate the pages
    /// into the new mm. Fails when the stack cannot grow that far (a VMA below it).</summary>
    CallerStack,
}
