using System;
using Microsoft.CodeAnalysis.Text;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// Finds, in a source text, every run of identifier characters that spells one of a set of names, without parsing:
/// a character loop over the text in chunks, with no allocation per identifier. It over-reports (a name in a comment
/// or a string is found too; the caller checks each hit against the syntax tree) and misses only a name spelled with
/// a Unicode escape (<c>\u0052ead</c>): <see cref="Result.HasUnicodeEscape"/> tells the caller to walk the tree instead.
/// </summary>
internal static class IdentifierScan
{
    private const int ChunkLength = 8192;

    public readonly struct Result
    {
        public Result(bool hasUnicodeEscape) => HasUnicodeEscape = hasUnicodeEscape;

        /// <summary>The text has a <c>\u</c> or <c>\U</c>, which may spell an identifier the scan cannot see.</summary>
        public bool HasUnicodeEscape { get; }
    }

    /// <summary>Calls <paramref name="hit"/> with the start and the name of every identifier run that is in
    /// <paramref name="names"/>, in text order.</summary>
    public static Result Run(SourceText text, NameSet names, Action<int, string> hit)
    {
        var chunk = new char[ChunkLength];
        var run = new char[Math.Max(names.MaxLength, 1)];
        var runStart = -1;
        var runLength = 0;
        var afterBackslash = false;
        var escape = false;
        for (var offset = 0; offset < text.Length; offset += ChunkLength)
        {
            var count = Math.Min(ChunkLength, text.Length - offset);
            text.CopyTo(offset, chunk, 0, count);
            for (var i = 0; i < count; i++)
            {
                var c = chunk[i];
                if (IsIdentifierChar(c))
                {
                    escape |= afterBackslash && c is 'u' or 'U';
                    afterBackslash = false;
                    if (runLength == 0)
                    {
                        runStart = offset + i;
                    }

                    if (runLength < run.Length)
                    {
                        run[runLength] = c;
                    }

                    runLength++;
                    continue;
                }

                Flush();
                afterBackslash = c == '\\';
            }
        }

        Flush();
        return new Result(escape);

        void Flush()
        {
            if (runLength > 0 && runLength <= run.Length && names.Find(run, 0, runLength) is { } name)
            {
                hit(runStart, name);
            }

            runLength = 0;
        }
    }

    // C#'s identifier characters are letters, digits, connectors, combining marks and format characters. Counting
    // fewer (any non-ASCII that is not a letter or digit ends a run) only adds hits, which the caller checks.
    private static bool IsIdentifierChar(char c) =>
        c < 128
            ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_'
            : char.IsLetterOrDigit(c);
}
