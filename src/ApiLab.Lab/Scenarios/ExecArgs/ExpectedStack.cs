using System.Text;
using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// What the new image must read, computed independently of every design: copy_strings' layout (one pointer below
/// the stack top, the filename, then envp and argv each from its last string) and the content word
/// (<see cref="ArgPageDigest"/>) of every page it covers. Harm is judged against this, never against a design's view.
/// </summary>
public sealed class ExpectedStack
{
    public ExpectedStack(string filename, IReadOnlyList<string> argv, IReadOnlyList<string> envp, ulong stackTop)
    {
        var strings = new List<byte[]> { Nul(filename) };
        strings.AddRange(envp.Reverse().Select(Nul));
        strings.AddRange(argv.Reverse().Select(Nul));
        var top = Page.AlignUp(stackTop);
        var total = strings.Sum(static s => (long)s.Length) + sizeof(ulong);
        StartStack = top - (ulong)total;
        var low = Page.AlignDown(StartStack);
        var image = new byte[top - low];
        var at = image.Length - sizeof(ulong);
        foreach (var s in strings)
        {
            at -= s.Length;
            s.CopyTo(image, at);
        }

        var pages = new ulong[image.Length / (int)Page.Size];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = ArgPageDigest.OfPage(image.AsSpan(i * (int)Page.Size, (int)Page.Size));
        }

        Low = low;
        Pages = pages;
    }

    /// <summary>mm->start_stack: the lowest byte of the strings.</summary>
    public ulong StartStack { get; }

    /// <summary>The first page of the argument area.</summary>
    public ulong Low { get; }

    /// <summary>The content word of each page from <see cref="Low"/> up.</summary>
    public IReadOnlyList<ulong> Pages { get; }

    /// <summary>The first difference between what <paramref name="process"/> reads and this, or null when none.</summary>
    public string? Mismatch(Process process)
    {
        if (process.Mm is not { } mm || mm.StartStack != StartStack)
        {
            return $"start_stack 0x{process.Mm?.StartStack ?? 0:x}, expected 0x{StartStack:x}";
        }

        for (var i = 0; i < Pages.Count; i++)
        {
            var address = Low + ((ulong)i * Page.Size);
            var read = process.Load(address);
            if (!read.IsOk || read.Value != Pages[i])
            {
                return $"page 0x{address:x} reads {(read.IsOk ? $"0x{read.Value:x}" : $"-{read.Error}")}, expected 0x{Pages[i]:x}";
            }
        }

        return null;
    }

    private static byte[] Nul(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
