using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>
/// The abstract state at one program point: a <see cref="Taint"/> per local, parameter and flow capture
/// (<see cref="CaptureId"/>). Absent means empty (see <see cref="Taint"/>).
/// </summary>
internal sealed class TaintState
{
    private readonly Dictionary<object, Taint> _values;

    public TaintState()
    {
        _values = new Dictionary<object, Taint>(KeyComparer.Instance);
    }

    private TaintState(Dictionary<object, Taint> values)
    {
        _values = new Dictionary<object, Taint>(values, KeyComparer.Instance);
    }

    public TaintState Clone() => new(_values);

    public Taint? Get(object key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>A strong update: the variable now holds exactly this value.</summary>
    public void Set(object key, Taint? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }
    }

    /// <summary>A weak update: something was stored into the variable's object (an element, a field, an Add).</summary>
    public void Add(object key, Taint? value) => Set(key, Taint.Combine(Get(key), value));

    /// <summary>An <c>[InvalidatesLayout]</c> call: every snapshot seen so far on this path is now stale.</summary>
    public void InvalidateAll(IMethodSymbol by)
    {
        List<KeyValuePair<object, Taint>>? changed = null;
        foreach (var pair in _values)
        {
            if (pair.Value.IsDerived)
            {
                (changed ??= new List<KeyValuePair<object, Taint>>()).Add(pair);
            }
        }

        if (changed is null)
        {
            return;
        }

        foreach (var pair in changed)
        {
            _values[pair.Key] = pair.Value.Invalidate(by);
        }
    }

    /// <summary>Joins another path's state into this one; true if this state changed.</summary>
    public bool JoinWith(TaintState other)
    {
        var changed = false;
        foreach (var pair in other._values)
        {
            var current = Get(pair.Key);
            var joined = Taint.Join(current, pair.Value)!;
            if (!joined.IsSameAs(current))
            {
                _values[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Symbols compare with <see cref="SymbolEqualityComparer"/> (RS1024); capture ids by value.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        // The same instance first: a body's locals and parameters are usually the same symbol objects.
        public new bool Equals(object? x, object? y) =>
            ReferenceEquals(x, y)
            || (x is ISymbol left && y is ISymbol right ? SymbolEqualityComparer.Default.Equals(left, right) : object.Equals(x, y));

        public int GetHashCode(object obj) =>
            obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
