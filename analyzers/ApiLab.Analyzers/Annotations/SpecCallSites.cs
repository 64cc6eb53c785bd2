using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// Where a compilation's source invokes something by the name of a spec member (<see cref="SpecMemberNames"/>): per
/// syntax tree, the sorted positions of those invocations' name tokens, and whether few enough bodies hold one for the
/// syntax prefilter to pay (<see cref="SpecBody"/>). Found once per compilation by a text scan for the names, each hit
/// checked against the tree, so that no body's syntax is walked: a walk of every body creates a red node for every
/// statement and expression of the compilation, which in a cold build cost more than the rules' own work in ordinary
/// code.
/// </summary>
internal sealed class SpecCallSites
{
    // Lazy: the rules start on several threads at once, and the table would run the scan for each of them.
    private static readonly ConditionalWeakTable<Compilation, Lazy<SpecCallSites>> Shared = new();

    private readonly Dictionary<SyntaxTree, int[]> _positions;

    private SpecCallSites(Dictionary<SyntaxTree, int[]> positions, bool prefilterPays)
    {
        _positions = positions;
        PrefilterPays = prefilterPays;
    }

    /// <summary>
    /// Fewer than a quarter of the bodies (methods, constructors, operators, accessors) invoke a spec member's name:
    /// skipping the others' operation trees is the big saving. When more do, the driver's operation blocks, which a
    /// build's other analyzers share, cost less than asking the semantic model body by body.
    /// </summary>
    public bool PrefilterPays { get; }

    /// <summary>
    /// The call sites of <paramref name="compilation"/>, found on first use. The scan is not cancellable: the result is
    /// cached for every later request on the compilation (the IDE asks many times, each with its own token), and a
    /// cancelled scan would be cached as the exception. It takes a few tens of milliseconds for 50,000 lines.
    /// </summary>
    public static SpecCallSites For(Compilation compilation, ImmutableHashSet<string> names) =>
        Shared.GetValue(compilation, c => new Lazy<SpecCallSites>(() => Find(c, names))).Value;

    /// <summary>Whether an invocation of a spec member's name lies within <paramref name="node"/>.</summary>
    public bool AnyWithin(SyntaxNode node)
    {
        if (!_positions.TryGetValue(node.SyntaxTree, out var positions))
        {
            return false;
        }

        // The first position at or after the node's start, if any, must also be before its end.
        var index = Array.BinarySearch(positions, node.SpanStart);
        if (index < 0)
        {
            index = ~index;
        }

        return index < positions.Length && positions[index] < node.Span.End;
    }

    private static SpecCallSites Find(Compilation compilation, ImmutableHashSet<string> names)
    {
        var set = new NameSet(names);
        var positions = new Dictionary<SyntaxTree, int[]>();
        var bodies = 0;
        var calling = new HashSet<SyntaxNode>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot();
            bodies += CountBodies(root);
            var found = new List<int>();
            var scan = IdentifierScan.Run(tree.GetText(), set, (position, name) =>
            {
                if (InvokedNameAt(root, position, name) is { } token)
                {
                    found.Add(token.SpanStart);
                }
            });

            if (scan.HasUnicodeEscape)
            {
                found.Clear();
                WalkInvocations(root, names, found);
            }

            if (found.Count == 0)
            {
                continue;
            }

            var sorted = found.ToArray();
            Array.Sort(sorted);
            positions[tree] = sorted;
            foreach (var position in sorted)
            {
                if (root.FindToken(position).Parent?.FirstAncestorOrSelf<SyntaxNode>(static n => IsBody(n)) is { } body)
                {
                    calling.Add(body);
                }
            }
        }

        return new SpecCallSites(positions, prefilterPays: calling.Count * 4 < bodies);
    }

    /// <summary>The identifier token at <paramref name="position"/> if it spells <paramref name="name"/> and names
    /// what an invocation invokes (<c>Name(...)</c>, <c>x.Name(...)</c>, <c>x?.Name(...)</c>, <c>a::Name(...)</c>).</summary>
    private static SyntaxToken? InvokedNameAt(SyntaxNode root, int position, string name)
    {
        var token = root.FindToken(position);
        return token.IsKind(SyntaxKind.IdentifierToken) && token.Span.Contains(position) && token.ValueText == name
            && token.Parent is SimpleNameSyntax simple && IsInvoked(simple)
            ? token
            : null;
    }

    private static bool IsInvoked(SimpleNameSyntax name) => name.Parent switch
    {
        InvocationExpressionSyntax invocation => invocation.Expression == name,
        MemberAccessExpressionSyntax access => access.Name == name && access.Parent is InvocationExpressionSyntax invocation && invocation.Expression == access,
        MemberBindingExpressionSyntax binding => binding.Name == name && binding.Parent is InvocationExpressionSyntax invocation && invocation.Expression == binding,
        AliasQualifiedNameSyntax alias => alias.Name == name && alias.Parent is InvocationExpressionSyntax invocation && invocation.Expression == alias,
        _ => false,
    };

    /// <summary>The slow path, for a tree whose text has a Unicode escape: every identifier by its value, checked as
    /// the scan's hits are.</summary>
    private static void WalkInvocations(SyntaxNode root, ImmutableHashSet<string> names, List<int> found)
    {
        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && names.Contains(token.ValueText)
                && token.Parent is SimpleNameSyntax simple && IsInvoked(simple))
            {
                found.Add(token.SpanStart);
            }
        }
    }

    /// <summary>The bodies of a tree's members, counted from its declarations alone: no statement is visited.</summary>
    private static int CountBodies(SyntaxNode root)
    {
        var count = 0;
        foreach (var node in root.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax
            or TypeDeclarationSyntax or BasePropertyDeclarationSyntax or AccessorListSyntax))
        {
            if (IsBody(node))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsBody(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
            or AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null };
}
