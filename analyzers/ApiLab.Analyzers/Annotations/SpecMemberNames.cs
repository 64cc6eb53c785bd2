using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The simple names of every spec member a compilation can call: methods that <see cref="SpecCall.IsSpecMember"/> in
/// its own source and in the references that may declare one. A body whose invocations name none of them makes no
/// spec call, so the rules skip it without asking for its operation tree, which is most of what an operation-based
/// analyzer costs a build.
/// <para>A method is a spec member through a spec attribute on itself, a parameter or its type (<c>[Proposal]</c>),
/// or through a member it implements or overrides, whose name it shares. So only a method of an interface, or one
/// with attributes on it, its parameters or its type, can add a name; the others are never looked at, which in a
/// large client is almost all of them.</para>
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
        AddSource(compilation, spec, names);
        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                && !SymbolEqualityComparer.Default.Equals(assembly, spec.SpecAssembly)
                && UsesSpec(assembly, spec.SpecAssembly))
            {
                if (!ReferenceMetadata.TryAddCandidateNames(reference, names))
                {
                    AddSymbols(assembly.GlobalNamespace, spec, names);
                }
            }
        }

        return names.ToImmutable();
    }

    /// <summary>The compilation's own candidates, picked from the declarations' syntax; a symbol is made only for
    /// those.</summary>
    private static void AddSource(Compilation compilation, SpecAnnotations spec, ImmutableHashSet<string>.Builder names)
    {
        var candidates = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var node in tree.GetRoot().DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is MethodDeclarationSyntax method && MayBeSpecMember(method))
                {
                    candidates.Add(method.Identifier.ValueText);
                }
            }
        }

        foreach (var name in candidates)
        {
            foreach (var symbol in compilation.GetSymbolsWithName(name, SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol method && spec.Get(method).IsSpecMember)
                {
                    names.Add(name);
                    break;
                }
            }
        }
    }

    private static bool MayBeSpecMember(MethodDeclarationSyntax method)
    {
        // A partial type's attributes may be on another of its declarations.
        if (method.Parent is InterfaceDeclarationSyntax || method.AttributeLists.Count > 0
            || method.Parent is TypeDeclarationSyntax type && (type.AttributeLists.Count > 0 || type.Modifiers.Any(SyntaxKind.PartialKeyword)))
        {
            return true;
        }

        foreach (var parameter in method.ParameterList.Parameters)
        {
            if (parameter.AttributeLists.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddSymbols(INamespaceSymbol root, SpecAnnotations spec, ImmutableHashSet<string>.Builder names)
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

    private static bool MayBeSpecMember(IMethodSymbol method, SpecAnnotations spec)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface || HasSpecAttribute(method.ContainingType, spec))
        {
            return true;
        }

        if (HasSpecAttribute(method, spec))
        {
            return true;
        }

        foreach (var parameter in method.Parameters)
        {
            if (HasSpecAttribute(parameter, spec))
            {
                return true;
            }
        }

        return false;
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

    private static bool HasSpecAttribute(ISymbol symbol, SpecAnnotations spec)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass?.ContainingAssembly, spec.SpecAssembly))
            {
                return true;
            }
        }

        return false;
    }
}
