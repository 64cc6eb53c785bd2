namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>Seed 004: where exec keeps argv/envp while it builds the new image.</summary>
public sealed class ExecArgsDebate : IDebate
{
    public DebateInfo Info { get; } = new("exec-args", "Exec's argument pages: relocate the new stack, or keep them elsewhere?",
        "004_fa0b3d4bae3e8db7.txt",
        "Al Viro wanted exec to stop using get_user_pages on the new mm; Miller objected to today's page-table move "
        + "and TLB flush for every compat task; Al offered kernel-held pages (unswappable) and a swappable inode "
        + "variant, Hugh Dickins building below sp on the caller's own stack (a new failure mode). Today's design stayed.");
}
