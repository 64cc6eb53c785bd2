using System.Collections.Generic;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// A fixed set of identifiers that can be looked up by a run of characters in a buffer, so that scanning a source
/// text for them allocates nothing per identifier (netstandard2.0 has no span-keyed <c>HashSet</c> lookup).
/// Open addressing over a power-of-two table, at most half full.
/// </summary>
internal sealed class NameSet
{
    private readonly string?[] _slots;
    private readonly int _mask;

    public NameSet(IEnumerable<string> names)
    {
        var distinct = new HashSet<string>(names, System.StringComparer.Ordinal);
        var size = 16;
        while (size < distinct.Count * 2)
        {
            size *= 2;
        }

        _slots = new string?[size];
        _mask = size - 1;
        foreach (var name in distinct)
        {
            MaxLength = System.Math.Max(MaxLength, name.Length);
            var slot = Hash(name.ToCharArray(), 0, name.Length) & _mask;
            while (_slots[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = name;
        }

        Count = distinct.Count;
    }

    public int Count { get; }

    /// <summary>The longest name: a longer run of identifier characters matches none.</summary>
    public int MaxLength { get; }

    /// <summary>The name spelled by <paramref name="length"/> characters of <paramref name="buffer"/> from
    /// <paramref name="start"/>, or null.</summary>
    public string? Find(char[] buffer, int start, int length)
    {
        if (length > MaxLength)
        {
            return null;
        }

        var slot = Hash(buffer, start, length) & _mask;
        while (_slots[slot] is { } name)
        {
            if (name.Length == length && SameChars(name, buffer, start))
            {
                return name;
            }

            slot = (slot + 1) & _mask;
        }

        return null;
    }

    private static bool SameChars(string name, char[] buffer, int start)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != buffer[start + i])
            {
                return false;
            }
        }

        return true;
    }

    // FNV-1a over the UTF-16 units: the same for a string and the buffer run that spells it.
    private static int Hash(char[] chars, int start, int length)
    {
        var hash = 2166136261u;
        for (var i = start; i < start + length; i++)
        {
            hash = (hash ^ chars[i]) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
