using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Lab.Comparison;

/// <summary>Privileges written the way the kernel names them (PTRACE_MODE_READ_FSCREDS, CAP_SYS_NICE).</summary>
public static class PrivilegeText
{
    /// <summary>The union of what the design's calls require on a foreign mm: ptrace modes, then capabilities.</summary>
    public static string Of(ProposalDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var parts = descriptor.Calls.Where(static c => c.Mode != PtraceMode.None).Select(static c => Mode(c.Mode)).Distinct().ToList();
        parts.AddRange(descriptor.Calls.SelectMany(static c => c.Capabilities).Distinct().Select(Capability));
        return parts.Count == 0 ? "none" : string.Join(" + ", parts);
    }

    public static string Mode(PtraceMode mode) =>
        "PTRACE_MODE_" + mode.ToString().ToUpperInvariant()
            .Replace("FSCREDS", "_FSCREDS", StringComparison.Ordinal).Replace("REALCREDS", "_REALCREDS", StringComparison.Ordinal);

    public static string Capability(Capability capability) => "CAP_" + Snake(capability.ToString());

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
