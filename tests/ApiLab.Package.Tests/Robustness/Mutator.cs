using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ApiLab.Package.Tests.Robustness;

/// <summary>One mutated source: the text and the edits that made it, in order.</summary>
internal sealed record Mutation(string Text, int Seed, IReadOnlyList<string> Edits);

/// <summary>
/// Seeded edits of C# source, the kinds a user makes while typing and a spec author makes while designing: token
/// deletes, duplicates and swaps, truncation, stray punctuation, dropped or duplicated statements and members, dropped
/// attributes, changed or added attribute arguments, changed types and identifiers. The same text and seed always
/// give the same mutation (System.Random with a seed is stable across runs), so a failure is reproducible from its
/// seed alone.
/// </summary>
internal static class Mutator
{
    private delegate (string Text, string Edit)? Edit(SyntaxNode root, string text, Random random);

    /// <summary>Weighted: edits that keep the code parseable reach the semantic paths of the rules, so they come
    /// more often than token noise.</summary>
    private static readonly Edit[] Edits =
    [
        DeleteToken, DuplicateToken, SwapTokens, Truncate, InsertPunctuation,
        DropAttribute, DropAttribute, ChangeAttributeArgument, ChangeAttributeArgument, AddAttributeArgument,
        ChangeType, ChangeType, ChangeType, ChangeIdentifier, ChangeIdentifier,
        DeleteNode, DeleteNode, DuplicateNode,
    ];

    private static readonly string[] Types =
    [
        "int", "long", "ulong", "string", "object", "dynamic", "void", "int*", "(int, int)", "T", "NoSuchType",
        "IoVec", "IoVec[]", "IoVec[]?", "ReadOnlySpan<IoVec>", "Span<IoVec>", "List<IoVec>", "IEnumerable<IoVec>",
        "Pid", "Pidfd", "VmaFd", "LayoutCookie", "VmaInfo", "VmaInfo[]", "VmaSnapshot", "Advice", "Errno",
        "SysResult<long>", "SysResult<int>", "SysResult<VmaInfo[]>", "SysResult<VmaSnapshot>", "SysResult<string>",
        "SysResult<>", "SysResult<SysResult<long>>", "Process", "Machine",
    ];

    private static readonly string[] AttributeArguments =
    [
        "null", "0", "-1", "42", "\"\"", "\"x\"", "true", "default", "typeof(int)", "typeof(NoSuchType)",
        "typeof(LayoutCookie)", "typeof(Pidfd)", "typeof(VmaSnapshot)", "(TargetKind)42", "TargetKind.Pid",
        "TargetKind.Pidfd", "TargetKind.Self", "PtraceMode.Attach", "Capability.SysAdmin", "TlbFlush.OncePerCall",
        "Outcome.Merged", "RevalidatedBy = typeof(LayoutCookie)", "RevalidatedBy = null", "Title = null", "Seed = \"\"",
        "nameof(Advice)", "1 << 40", "\"process_madvise\"",
    ];

    private static readonly string[] Punctuation = ["{", "}", "(", ")", ";", ",", "[", "]", "=>", "=", ".", "?", "!", "ref ", "out ", "params ", "this ", "null", "async ", "static "];

    public static Mutation Mutate(string source, int seed, CSharpParseOptions options)
    {
        var random = new Random(seed);
        var text = source;
        var edits = new List<string>();
        var wanted = 1 + random.Next(3);
        for (var attempt = 0; edits.Count < wanted && attempt < wanted * 4; attempt++)
        {
            var root = CSharpSyntaxTree.ParseText(text, options).GetRoot();
            if (Edits[random.Next(Edits.Length)](root, text, random) is { } edit && edit.Text != text)
            {
                text = edit.Text;
                edits.Add(edit.Edit);
            }
        }

        if (edits.Count == 0 && text.Length > 0)
        {
            var at = random.Next(text.Length);
            text = text[..at];
            edits.Add($"truncate at {at}");
        }

        return new Mutation(text, seed, edits);
    }

    private static (string, string)? DeleteToken(SyntaxNode root, string text, Random random) =>
        PickToken(root, random) is { } t ? (Replace(text, t.Span, ""), $"delete token '{t}' at {t.SpanStart}") : null;

    private static (string, string)? DuplicateToken(SyntaxNode root, string text, Random random) =>
        PickToken(root, random) is { } t ? (text.Insert(t.Span.End, " " + t), $"duplicate token '{t}' at {t.SpanStart}") : null;

    private static (string, string)? SwapTokens(SyntaxNode root, string text, Random random)
    {
        var tokens = Tokens(root);
        if (tokens.Count < 2)
        {
            return null;
        }

        var i = random.Next(tokens.Count - 1);
        var (a, b) = (tokens[i], tokens[i + 1]);
        var swapped = Replace(Replace(text, b.Span, a.ToString()), a.Span, b.ToString());
        return (swapped, $"swap '{a}' and '{b}' at {a.SpanStart}");
    }

    private static (string, string)? Truncate(SyntaxNode root, string text, Random random)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var at = random.Next(text.Length);
        return (text[..at], $"truncate at {at}");
    }

    private static (string, string)? InsertPunctuation(SyntaxNode root, string text, Random random)
    {
        var token = PickToken(root, random);
        if (token is null)
        {
            return null;
        }

        var inserted = Punctuation[random.Next(Punctuation.Length)];
        return (text.Insert(token.Value.SpanStart, inserted), $"insert '{inserted}' at {token.Value.SpanStart}");
    }

    private static (string, string)? DropAttribute(SyntaxNode root, string text, Random random)
    {
        var attribute = Pick(root.DescendantNodes().OfType<AttributeSyntax>().ToList(), random);
        if (attribute?.Parent is not AttributeListSyntax list)
        {
            return null;
        }

        if (list.Attributes.Count == 1)
        {
            return (Replace(text, list.Span, ""), $"drop [{attribute}] at {list.SpanStart}");
        }

        // Take a neighbouring comma too, so the list stays well-formed.
        var index = list.Attributes.IndexOf(attribute);
        var span = index < list.Attributes.SeparatorCount
            ? TextSpan.FromBounds(attribute.SpanStart, list.Attributes.GetSeparator(index).Span.End)
            : TextSpan.FromBounds(list.Attributes.GetSeparator(index - 1).SpanStart, attribute.Span.End);
        return (Replace(text, span, ""), $"drop {attribute} at {attribute.SpanStart}");
    }

    private static (string, string)? ChangeAttributeArgument(SyntaxNode root, string text, Random random)
    {
        var argument = Pick(root.DescendantNodes().OfType<AttributeArgumentSyntax>().ToList(), random);
        if (argument is null)
        {
            return null;
        }

        var replacement = AttributeArguments[random.Next(AttributeArguments.Length)];
        return (Replace(text, argument.Expression.Span, replacement.Contains(" = ", StringComparison.Ordinal) ? replacement.Split(" = ")[1] : replacement),
            $"attribute argument '{argument}' -> '{replacement}' at {argument.SpanStart}");
    }

    private static (string, string)? AddAttributeArgument(SyntaxNode root, string text, Random random)
    {
        var attribute = Pick(root.DescendantNodes().OfType<AttributeSyntax>().ToList(), random);
        if (attribute is null)
        {
            return null;
        }

        var added = AttributeArguments[random.Next(AttributeArguments.Length)];
        var edited = attribute.ArgumentList is { } arguments
            ? text.Insert(arguments.CloseParenToken.SpanStart, arguments.Arguments.Count > 0 ? ", " + added : added)
            : text.Insert(attribute.Span.End, "(" + added + ")");
        return (edited, $"add argument '{added}' to [{attribute.Name}] at {attribute.SpanStart}");
    }

    private static (string, string)? ChangeType(SyntaxNode root, string text, Random random)
    {
        var types = root.DescendantNodes().OfType<TypeSyntax>()
            .Where(static t => t.Parent is ParameterSyntax or MethodDeclarationSyntax or VariableDeclarationSyntax or PropertyDeclarationSyntax
                or TypeArgumentListSyntax or ObjectCreationExpressionSyntax or CastExpressionSyntax or TypeOfExpressionSyntax or ArrayTypeSyntax or BaseTypeSyntax)
            .ToList();
        var type = Pick(types, random);
        if (type is null)
        {
            return null;
        }

        // Half the time another type the file already uses, so the result stays plausible.
        var replacement = random.Next(2) == 0 ? Pick(types, random)!.ToString() : Types[random.Next(Types.Length)];
        return (Replace(text, type.Span, replacement), $"type '{type}' -> '{replacement}' at {type.SpanStart}");
    }

    private static (string, string)? ChangeIdentifier(SyntaxNode root, string text, Random random)
    {
        var identifiers = root.DescendantTokens().Where(static t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
        if (identifiers.Count < 2)
        {
            return null;
        }

        var (from, to) = (identifiers[random.Next(identifiers.Count)], identifiers[random.Next(identifiers.Count)]);
        return (Replace(text, from.Span, to.ValueText), $"identifier '{from}' -> '{to}' at {from.SpanStart}");
    }

    private static (string, string)? DeleteNode(SyntaxNode root, string text, Random random)
    {
        var node = Pick(StatementsAndMembers(root), random);
        return node is null ? null : (Replace(text, node.Span, ""), $"delete {node.Kind()} at {node.SpanStart}");
    }

    private static (string, string)? DuplicateNode(SyntaxNode root, string text, Random random)
    {
        var node = Pick(StatementsAndMembers(root), random);
        return node is null ? null : (text.Insert(node.Span.End, "\n" + node), $"duplicate {node.Kind()} at {node.SpanStart}");
    }

    private static List<SyntaxNode> StatementsAndMembers(SyntaxNode root) =>
        [.. root.DescendantNodes().Where(static n => n is StatementSyntax or MemberDeclarationSyntax or ArgumentSyntax && n is not BlockSyntax)];

    private static List<SyntaxToken> Tokens(SyntaxNode root) =>
        [.. root.DescendantTokens().Where(static t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0)];

    private static SyntaxToken? PickToken(SyntaxNode root, Random random)
    {
        var tokens = Tokens(root);
        return tokens.Count == 0 ? null : tokens[random.Next(tokens.Count)];
    }

    private static T? Pick<T>(IReadOnlyList<T> items, Random random)
        where T : class => items.Count == 0 ? null : items[random.Next(items.Count)];

    private static string Replace(string text, TextSpan span, string replacement) =>
        string.Concat(text.AsSpan(0, span.Start), replacement, text.AsSpan(span.End));
}
