namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>Seed 004: where exec keeps argv/envp while it builds the new image.</summary>
public sealed class ExecArgsDebate : IDebate
{
    public DebateInfo Info { get; } = new("exec-args", "Exec's argument pages: relocate the new stack, or keep them elsewhere?",
        "004_fa0b3d4bae3e8db7.txt",
        "Al Viro wanted exec to stop using get_user_pages on the new mm; Miller objected to today's page-table move "
        + "and TLB flush for every compat task; Al offered kernel-held pages (unswappable) and a swappable inode "
        + "variant, Hugh Dickins building below sp on the caller's own stack (a new failure mode). Today's design stayed.");

    public IReadOnlyList<DebateArgument> Arguments { get; } =
    [
        new("David Miller", "The forced page-table move and TLB flush for every single compat task is not acceptable.",
            "seed 004", "page_table_moves"),
        new("Hugh Dickins", "The question is how to eliminate get_user_pages() on bprm->mm in exec().", "seed 004", "remote_gup"),
        new("Al Viro", "Keep the argument pages in the kernel; they are not swappable.", "seed 004", "pinned_pages"),
        new("Hugh Dickins", "Building below sp fails when the user stack has too little space (\"sorry, you left too little space\").",
            "seed 004", "harm"),
        new("Hugh Dickins", "Native execs whose stack top is STACK_TOP_MAX pay no move at all.", "seed 004", "page_table_moves",
            "exec-args.native-same-top"),
    ];
}
