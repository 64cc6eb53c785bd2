using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The simple names of the methods a compilation can call that may be spec members (<see cref="SpecCall.IsSpecMember"/>):
/// a superset, found without making a single symbol. A body whose invocations name none of them makes no spec call,
/// so the rules skip it without asking for its operation tree, which is most of what an operation-based analyzer
/// costs a build.
/// <para>A method is a spec member through a spec attribute on itself, a parameter or its type (<c>[Proposal]</c>),
/// or through a member it implements or overrides, whose name it shares. So only a method with attributes on it, its
/// parameters or its type can add a name. In source (and in a project reference's source) that is read off the
/// declarations' syntax, a partial type counting as attributed (its attributes may be on another part); in a compiled
/// reference, off its metadata tables (<see cref="ReferenceMetadata"/>).</para>
/// <para>No symbol, because the compilation-start actions that ask run before the compiler has bound the references
/// and the declarations: what they touch first they pay for, in csc's ReportAnalyzer figure, though the compiler
/// would do it a moment later anyway.</para>
/// </summary>
internal static class SpecMemberNames
{
    // Lazy: the rules start on several threads at once, and the table would run the walk for each of them.
    private static readonly ConditionalWeakTable<Compilation, System.Lazy<ImmutableHashSet<string>>> Shared = new();

    public static ImmutableHashSet<string> For(Compilation compilation) =>
        Shared.GetValue(compilation, static c => new System.Lazy<ImmutableHashSet<string>>(() => Collect(c))).Value;

    private static ImmutableHashSet<string> Collect(Compilation compilation)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        AddFromSyntax(compilation.SyntaxTrees, names);
        foreach (var reference in compilation.References)
        {
            if (reference is CompilationReference project)
            {
                AddFromSyntax(project.Compilation.SyntaxTrees, names);
            }
            else
            {
                ReferenceMetadata.TryAddCandidateNames(reference, names);
            }
        }

        return names.ToImmutableHashSet(System.StringComparer.Ordinal);
    }

    private static void AddFromSyntax(IEnumerable<SyntaxTree> trees, HashSet<string> names)
    {
        foreach (var tree in trees)
        {
            foreach (var node in tree.GetRoot().DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is MethodDeclarationSyntax method && MayBeSpecMember(method))
                {
                    names.Add(method.Identifier.ValueText);
                }
            }
        }
    }

    private static bool MayBeSpecMember(MethodDeclarationSyntax method)
    {
        if (method.AttributeLists.Count > 0
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
}
