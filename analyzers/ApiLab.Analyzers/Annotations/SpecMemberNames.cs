using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The simple names of every spec member a compilation can call: methods that <see cref="SpecCall.IsSpecMember"/> in
/// its own source and in the references that use the spec assembly (no other assembly can declare or implement a spec
/// member). A body whose invocations name none of them makes no spec call, so the rules skip it without asking for its
/// operation tree, which is most of what an operation-based analyzer costs a build.
/// </summary>
internal static class SpecMemberNames
{
    // Lazy: the rules start on several threads at once, and the table would run the walk for each of them.
    private static readonly ConditionalWeakTable<Compilation, System.Lazy<ImmutableHashSet<string>>> Shared = new();

    public static ImmutableHashSet<string> For(Compilation compilation, SpecAnnotations spec) =>
        Shared.GetValue(compilation, c => new System.Lazy<ImmutableHashSet<string>>(() => Collect(c, spec))).Value;

    private static ImmutableHashSet<string> Collect(Compilation compilation, SpecAnnotations spec)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(System.StringComparer.Ordinal);
        var specAssembly = spec.SpecAssembly;
        Add(compilation.Assembly.GlobalNamespace, spec, names);
        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                && !SymbolEqualityComparer.Default.Equals(assembly, specAssembly)
                && UsesSpec(assembly, specAssembly))
            {
                Add(assembly.GlobalNamespace, spec, names);
            }
        }

        return names.ToImmutable();
    }

    private static bool UsesSpec(IAssemblySymbol assembly, IAssemblySymbol specAssembly)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var referenced in module.ReferencedAssemblySymbols)
            {
                if (SymbolEqualityComparer.Default.Equals(referenced, specAssembly))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A class's method is a spec member through its own spec attributes or through an interface member it implements,
    /// whose name it shares (and interfaces are walked too). So only interface members and attributed methods need the
    /// full check, which for any other method would look up every interface member it might implement.
    /// </summary>
    private static bool MayBeSpecMember(IMethodSymbol method, SpecAnnotations spec)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            return true;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass?.ContainingAssembly, spec.SpecAssembly))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(INamespaceSymbol root, SpecAnnotations spec, ImmutableHashSet<string>.Builder names)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var member in current.GetMembers())
            {
                switch (member)
                {
                    case INamespaceSymbol ns:
                        pending.Push(ns);
                        break;
                    case INamedTypeSymbol type:
                        pending.Push(type);
                        break;
                    case IMethodSymbol method when !names.Contains(method.Name) && MayBeSpecMember(method, spec) && spec.Get(method).IsSpecMember:
                        names.Add(method.Name);
                        break;
                }
            }
        }
    }
}
