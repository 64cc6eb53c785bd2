namespace ApiLab.Spec.Descriptors;

/// <summary>
/// Emitted by the generator, once per spec, as an assembly attribute: it names the static class whose
/// <c>Descriptor</c> property describes the spec. One attribute per spec keeps the generator free of a global
/// <c>Collect()</c> step; <see cref="ProposalCatalog"/> reads them back.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ProposalDescriptorProviderAttribute(Type provider) : Attribute
{
    public Type Provider { get; } = provider;
}
