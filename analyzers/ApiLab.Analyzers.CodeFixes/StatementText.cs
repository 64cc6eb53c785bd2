using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.CodeFixes;

/// <summary>
/// Writes replacement statements as text laid out like the statement they replace (its indentation and line ending),
/// then parses them: the fixes produce exactly the text they show in their previews, without a formatting pass.
/// </summary>
internal static class StatementText
{
    /// <summary>The indentation of the statement's first line.</summary>
    public static string IndentationOf(StatementSyntax statement)
    {
        var trivia = statement.GetLeadingTrivia();
        var last = trivia.LastOrDefault();
        return last.IsKind(SyntaxKind.WhitespaceTrivia) ? last.ToString() : "";
    }

    /// <summary>The line ending the statement ends with ("\n" if it has none).</summary>
    public static string NewLineOf(StatementSyntax statement)
    {
        foreach (var trivia in statement.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return "\n";
    }

    /// <summary>
    /// Parses <paramref name="lines"/> (each a line of one or more statements, indented relative to the original
    /// with leading spaces) into statements that replace <paramref name="original"/>: the first keeps the original's
    /// leading trivia (comments above it stay above), every line gets its indentation and line ending.
    /// </summary>
    public static IReadOnlyList<StatementSyntax> Replace(StatementSyntax original, IEnumerable<string> lines)
    {
        var indentation = IndentationOf(original);
        var newLine = NewLineOf(original);
        var text = string.Concat(lines.Select(line => indentation + line + newLine));
        var block = (BlockSyntax)SyntaxFactory.ParseStatement("{" + newLine + text + "}");
        var statements = block.Statements.ToList();
        if (statements.Count > 0)
        {
            statements[0] = statements[0].WithLeadingTrivia(original.GetLeadingTrivia());
        }

        return statements;
    }
}
