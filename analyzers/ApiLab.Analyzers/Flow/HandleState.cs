using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>What may have become of one handle on the paths reaching a point (a set: joins take the union).</summary>
[System.Flags]
internal enum HandleFlags : byte
{
    None = 0,

    /// <summary>Returned inside a SysResult nobody has unwrapped yet (it may hold an errno instead).</summary>
    Pending = 1,

    /// <summary>Open and still owned by this body.</summary>
    Open = 2,

    /// <summary>Passed to a <c>[Releases]</c> parameter.</summary>
    Released = 4,

    /// <summary>Returned, stored outside the body's locals, captured, or handed to unannotated code.</summary>
    Escaped = 8,
}

/// <summary>
/// APILAB1005's state: per handle (named by the syntax of the call that returned it) the set of
/// <see cref="HandleFlags"/> it may be in, and per local, parameter or flow capture the handles it may hold.
/// </summary>
internal sealed class HandleState
{
    public HandleState()
    {
    }

    private HandleState(HandleState other)
    {
        Handles = new Dictionary<SyntaxNode, HandleFlags>(other.Handles);
        Variables = new Dictionary<object, ImmutableHashSet<SyntaxNode>>(other.Variables, VariableComparer.Instance);
    }

    public Dictionary<SyntaxNode, HandleFlags> Handles { get; } = new();

    public Dictionary<object, ImmutableHashSet<SyntaxNode>> Variables { get; } = new(VariableComparer.Instance);

    public HandleState Clone() => new(this);

    public ImmutableHashSet<SyntaxNode>? Get(object variable) => Variables.TryGetValue(variable, out var handles) ? handles : null;

    public void Set(object variable, ImmutableHashSet<SyntaxNode>? handles)
    {
        if (handles is null || handles.IsEmpty)
        {
            Variables.Remove(variable);
        }
        else
        {
            Variables[variable] = handles;
        }
    }

    /// <summary>Every handle the value may be becomes <paramref name="flags"/> (a strong update).</summary>
    public void Mark(ImmutableHashSet<SyntaxNode>? handles, HandleFlags flags)
    {
        if (handles is null)
        {
            return;
        }

        foreach (var handle in handles)
        {
            Handles[handle] = flags;
        }
    }

    public bool JoinWith(HandleState other)
    {
        var changed = false;
        foreach (var pair in other.Handles)
        {
            var current = Handles.TryGetValue(pair.Key, out var flags) ? flags : HandleFlags.None;
            if ((current | pair.Value) != current)
            {
                Handles[pair.Key] = current | pair.Value;
                changed = true;
            }
        }

        foreach (var pair in other.Variables)
        {
            var current = Get(pair.Key);

            // States copied from one another share their sets: the same set needs no union.
            if (ReferenceEquals(current, pair.Value))
            {
                continue;
            }

            var joined = current is null ? pair.Value : current.Union(pair.Value);
            if (current is null || joined.Count != current.Count)
            {
                Variables[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Symbols compare with <see cref="SymbolEqualityComparer"/> (RS1024); capture ids by value.</summary>
    private sealed class VariableComparer : IEqualityComparer<object>
    {
        public static readonly VariableComparer Instance = new();

        // The same instance first: a body's locals and parameters are usually the same symbol objects.
        public new bool Equals(object? x, object? y) =>
            ReferenceEquals(x, y)
            || (x is ISymbol left && y is ISymbol right ? SymbolEqualityComparer.Default.Equals(left, right) : object.Equals(x, y));

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
