namespace ApiLab.Spec;

/// <summary>
/// Client code declares the privileges it runs with: the capabilities it holds and the ptrace access it has to the
/// processes it targets. APILAB1006 compares a call's <see cref="RequiresAttribute"/> with the nearest declaration
/// (the calling method, then each containing type outward, then the assembly); the nearest one wins, so a method can
/// declare that it runs with less than its type. <c>[RunsWith]</c> with no arguments declares "no privileges".
/// Code with no declaration anywhere is "unknown" and is not checked unless <c>apilab_1006.strict = true</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct
    | AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class RunsWithAttribute(params Capability[] capabilities) : Attribute
{
    public Capability[] Capabilities { get; } = capabilities;

    /// <summary>The ptrace access the caller is known to pass on its targets (e.g. same uid: ReadFsCreds or
    /// AttachFsCreds). <see cref="PtraceMode.None"/>: none beyond what <see cref="Capability.SysPtrace"/> grants.</summary>
    public PtraceMode Ptrace { get; set; }
}
