using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace ApiLab.Generators.Helpers;

/// <summary>
/// An immutable array with value equality, so pipeline models that hold one compare by content and the
/// incremental driver can cache them (<see cref="ImmutableArray{T}"/> compares by reference).
/// </summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    public static readonly EquatableArray<T> Empty = new(Array.Empty<T>());

    // Null only in default(EquatableArray<T>), which behaves as empty.
    private readonly T[]? _items;

    public EquatableArray(T[] items) => _items = items;

    public EquatableArray(ImmutableArray<T> items) => _items = items.IsDefault ? null : System.Linq.ImmutableArrayExtensions.ToArray(items);

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public bool IsEmpty => Count == 0;

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    // Folds every element: an empty array hashes to the seed instead of throwing (the cookbook's Aggregate does).
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = 17;
            foreach (var item in AsSpan())
            {
                hash = (hash * 31) + (item is null ? 0 : item.GetHashCode());
            }

            return hash;
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}

/// <summary>Conversions into <see cref="EquatableArray{T}"/>.</summary>
internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : IEquatable<T> => new(System.Linq.Enumerable.ToArray(items));
}
