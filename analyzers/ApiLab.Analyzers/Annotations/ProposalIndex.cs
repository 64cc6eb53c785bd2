using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The <c>[Proposal]</c> specs an assembly declares, listed once per assembly per compilation (lazily: only when a
/// rule needs to look beyond the called type, e.g. for the pidfd form of a call in another design of its debate).
/// Specs of one debate live in one proposals assembly, so the assembly that declares the called spec is searched.
/// </summary>
internal sealed class ProposalIndex
{
    private readonly SpecAnnotations _spec;
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IAssemblySymbol, ImmutableArray<INamedTypeSymbol>> _specs = new(SymbolEqualityComparer.Default);

    public ProposalIndex(SpecAnnotations spec, Compilation compilation)
    {
        _spec = spec;
        _compilation = compilation;
    }

    /// <summary>The <c>[Proposal]</c> types declared in <paramref name="assembly"/>.</summary>
    public ImmutableArray<INamedTypeSymbol> SpecsIn(IAssemblySymbol assembly, CancellationToken cancellationToken) =>
        _specs.GetOrAdd(assembly, a => Collect(a, cancellationToken));

    private ImmutableArray<INamedTypeSymbol> Collect(IAssemblySymbol assembly, CancellationToken cancellationToken)
    {
        var result = ImmutableArray.CreateBuilder<INamedTypeSymbol>();

        // A compiled assembly's tables name its [Proposal] types; only those get symbols (each one checked, as the
        // walk below would: the attribute must be this compilation's [Proposal]).
        if (_compilation.GetMetadataReference(assembly) is { } reference && ReferenceMetadata.ProposalTypeNames(reference) is { } names)
        {
            foreach (var name in names)
            {
                if (assembly.GetTypeByMetadataName(name) is { } type && SpecAnnotations.Has(type, _spec.Proposal))
                {
                    result.Add(type);
                }
            }

            return result.ToImmutable();
        }

        var pending = new Stack<INamespaceSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type && SpecAnnotations.Has(type, _spec.Proposal))
                {
                    result.Add(type);
                }
            }
        }

        return result.ToImmutable();
    }
}
