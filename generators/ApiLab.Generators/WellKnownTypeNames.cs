using ApiLab.Generators.Validation;

namespace ApiLab.Generators;

/// <summary>
/// Names the generator reads (metadata names, shared with the validator) and writes (<c>global::</c>-qualified,
/// so generated code means the same whatever the spec file's usings are).
/// </summary>
internal static class WellKnownTypeNames
{
    public const string ProposalAttributeMetadataName = SpecTypeNames.ProposalAttribute;

    public const string Process = "global::ApiLab.Engine.Process";
    public const string PtraceAccess = "global::ApiLab.Engine.PtraceAccess";

    public const string Errno = "global::ApiLab.Spec.Errno";
    public const string IoVec = "global::ApiLab.Spec.IoVec";
    public const string PtraceMode = "global::ApiLab.Spec.PtraceMode";
    public const string Capability = "global::ApiLab.Spec.Capability";
    public const string TargetKind = "global::ApiLab.Spec.TargetKind";
    public const string TlbFlush = "global::ApiLab.Spec.TlbFlush";
    public const string Outcome = "global::ApiLab.Spec.Outcome";

    public const string Effect = "global::ApiLab.Spec.Descriptors.Effect";
    public const string MemoryGuarantees = "global::ApiLab.Spec.Descriptors.MemoryGuarantees";
    public const string ProposalDescriptor = "global::ApiLab.Spec.Descriptors.ProposalDescriptor";
    public const string CallDescriptor = "global::ApiLab.Spec.Descriptors.CallDescriptor";
    public const string ProposalDescriptorProviderAttribute = "global::ApiLab.Spec.Descriptors.ProposalDescriptorProviderAttribute";

    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string Array = "global::System.Array";
    public const string GeneratedCodeAttribute = "global::System.CodeDom.Compiler.GeneratedCode";

    /// <summary>The tool name and version in <c>[GeneratedCode]</c>; fixed so golden files need no scrubbing.</summary>
    public const string ToolName = "ApiLab.Generators";
    public const string ToolVersion = "1.0.0";
}
