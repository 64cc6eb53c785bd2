using ApiLab.Generators.Helpers;

namespace ApiLab.Generators.Models;

/// <summary>One valid spec: everything the emitter needs to write its adapter and its descriptor.</summary>
/// <param name="Namespace">The spec's namespace; empty for the global namespace.</param>
/// <param name="InterfaceName">The spec's name, e.g. <c>ICookieMadvise</c>.</param>
/// <param name="InterfaceType">The spec's <c>global::</c>-qualified name.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>, as the spec is.</param>
/// <param name="AdapterName">e.g. <c>CookieMadviseAdapter</c>.</param>
/// <param name="DescriptorName">e.g. <c>CookieMadviseDescriptor</c>.</param>
/// <param name="Proposal">What [Proposal] and the docs say about the design.</param>
/// <param name="Calls">One per spec method, own methods first, then inherited ones.</param>
internal sealed record SpecModel(
    string Namespace,
    string InterfaceName,
    string InterfaceType,
    string Accessibility,
    string AdapterName,
    string DescriptorName,
    ProposalModel Proposal,
    EquatableArray<CallModel> Calls)
{
    /// <summary>The hint-name stem: <c>{Namespace}.{InterfaceName}</c>, unique per spec.</summary>
    public string HintStem => Namespace.Length == 0 ? InterfaceName : $"{Namespace}.{InterfaceName}";

    public string AdapterType => Namespace.Length == 0 ? $"global::{AdapterName}" : $"global::{Namespace}.{AdapterName}";

    public string DescriptorType => Namespace.Length == 0 ? $"global::{DescriptorName}" : $"global::{Namespace}.{DescriptorName}";
}
