namespace ApiLab.Engine;

/// <summary>
/// The content word exec stores in a stack page it copies argument strings into (the engine keeps one word per page,
/// not the bytes). It is the XOR, over the page's non-zero bytes, of a mix of (offset, byte): a function of the page
/// image alone, however the bytes were split into copies, so a test can rebuild the image and compare. A page holding
/// only NULs digests to zero, like an untouched page.
/// </summary>
public static class ArgPageDigest
{
    /// <summary>Folds <paramref name="bytes"/>, written at <paramref name="offset"/> in a page, into <paramref name="digest"/>.</summary>
    public static ulong Fold(ulong digest, int offset, ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        // splitmix64's finaliser, inlined by hand: exec folds every argument byte, and Debug builds inline nothing.
        var key = (ulong)(uint)offset << 8;
        foreach (var b in bytes)
        {
            if (b != 0)
            {
                var x = (key | b) + 0x9E3779B97F4A7C15UL;
                x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
                x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
                digest ^= x ^ (x >> 31);
            }

            key += 1UL << 8;
        }

        return digest;
    }

    /// <summary>The digest of a whole page image (4096 bytes, or fewer: the rest reads as zero).</summary>
    public static ulong OfPage(ReadOnlySpan<byte> page) => Fold(0, 0, page);
}
