namespace ApiLab.Spec;

/// <summary>Marks a type as a handle a spec may take as a target or as a revalidating argument.</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class HandleAttribute : Attribute;
