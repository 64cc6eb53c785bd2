using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>A task's credentials: the uids ptrace checks compare, and the effective capability set.</summary>
public sealed record Credentials(int Uid, int Euid, int Fsuid, IReadOnlySet<Capability> Capabilities)
{
    private static readonly IReadOnlySet<Capability> NoCaps = new HashSet<Capability>();
    private static readonly IReadOnlySet<Capability> AllCaps = new HashSet<Capability>(Enum.GetValues<Capability>());

    /// <summary>An unprivileged user: all three uids equal, no capabilities.</summary>
    public static Credentials User(int uid) => new(uid, uid, uid, NoCaps);

    /// <summary>root with the full capability set.</summary>
    public static Credentials Root { get; } = new(0, 0, 0, AllCaps);

    public bool Has(Capability capability) => Capabilities.Contains(capability);

    public Credentials With(params Capability[] capabilities) =>
        this with { Capabilities = new HashSet<Capability>(Capabilities.Concat(capabilities)) };
}
