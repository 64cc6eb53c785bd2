using System.Reflection;

namespace ApiLab.Spec.Descriptors;

/// <summary>Finds the generated descriptors in an assembly, in a stable order (debate, then design).</summary>
public static class ProposalCatalog
{
    public static IReadOnlyList<ProposalDescriptor> FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var list = new List<ProposalDescriptor>();
        foreach (var attribute in assembly.GetCustomAttributes<ProposalDescriptorProviderAttribute>())
        {
            var property = attribute.Provider.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{attribute.Provider} has no static Descriptor property");
            list.Add((ProposalDescriptor)property.GetValue(null)!);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }
}
