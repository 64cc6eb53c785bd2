using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB1005: a handle (a <c>[Handle]</c> type: pidfd, per-VMA fd, userfaultfd) returned by a spec call is used
/// after it reached a <c>[Releases]</c> parameter, or may still be open when the body ends (a leak: an fd table
/// entry, and for a pidfd a pinned struct pid). A handle type is tracked when the spec type that returns it (or an
/// interface it implements) declares a <c>[Releases]</c> parameter of that type: a cookie, which nothing closes, is
/// not. Returning the handle or storing it outside the body's locals hands it on: no leak is reported.
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class HandleLifetimeAnalyzer : CallSiteRule
{
    /// <summary><c>.editorconfig</c> key: also report uses of a handle released on some paths only.</summary>
    public const string ReportMaybePathsOption = "apilab_1005.report_maybe_paths";

    private const string Title = "Handle used after release, or never released";

    private const string Description =
        "A handle returned by a spec call owns a kernel object until a [Releases] call closes it. Using it afterwards " +
        "acts on whatever the fd number names next (or fails with EBADF); never closing it leaks the object.";

    internal static readonly DiagnosticDescriptor UseAfterReleaseRule = new(
        DiagnosticIds.HandleMisuse,
        Title,
        "The {0} from '{1}' is used after a [Releases] call closed it",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.HandleMisuse));

    internal static readonly DiagnosticDescriptor MaybeUseAfterReleaseRule = new(
        DiagnosticIds.HandleMisuse,
        Title,
        "The {0} from '{1}' is used after a [Releases] call closed it on some paths",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.HandleMisuse));

    internal static readonly DiagnosticDescriptor LeakRule = new(
        DiagnosticIds.HandleMisuse,
        Title,
        "The {0} returned by '{1}' is never released (no [Releases] call takes it, and it does not escape)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.HandleMisuse));

    internal static readonly DiagnosticDescriptor MaybeLeakRule = new(
        DiagnosticIds.HandleMisuse,
        Title,
        "The {0} returned by '{1}' is not released on every path",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.HandleMisuse));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(UseAfterReleaseRule, MaybeUseAfterReleaseRule, LeakRule, MaybeLeakRule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation)
    {
        if (spec.Handle is null)
        {
            return null;
        }

        var releasable = new Releasable(spec);
        return blockContext => Analyze(blockContext, spec, releasable);
    }

    private static void Analyze(SpecBody context, SpecAnnotations spec, Releasable releasable)
    {
        if (!CreatesHandle(context, spec, releasable))
        {
            return;
        }

        FlowBodies.ForEachGraph(context, (graph, _, tree) =>
        {
            var findings = HandleAnalysis.Run(graph, spec, releasable.IsReleasable, context.CancellationToken);
            var reportMaybe = !findings.IsEmpty && FlowBodies.ReadBoolOption(context, tree, ReportMaybePathsOption);
            foreach (var finding in findings)
            {
                if (!finding.IsLeak && finding.IsMaybe && !reportMaybe)
                {
                    continue;
                }

                var rule = finding.IsLeak
                    ? finding.IsMaybe ? MaybeLeakRule : LeakRule
                    : finding.IsMaybe ? MaybeUseAfterReleaseRule : UseAfterReleaseRule;
                var creator = finding.Creator.ContainingType is { } type ? type.Name + "." + finding.Creator.Name : finding.Creator.Name;
                context.ReportDiagnostic(Diagnostic.Create(rule, finding.Node.GetLocation(), finding.HandleType.Name, creator));
            }
        });
    }

    private static bool CreatesHandle(SpecBody context, SpecAnnotations spec, Releasable releasable)
    {
        foreach (var (invocation, call) in BodyCalls.TopLevelOf(context, spec))
        {
            if (spec.ResultValueType(invocation.TargetMethod) is var type
                && spec.IsHandle(type)
                && releasable.IsReleasable(invocation.TargetMethod, call, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the spec that returns a handle type also closes it; cached per (type, handle) per compilation.</summary>
    private sealed class Releasable
    {
        private readonly SpecAnnotations _spec;
        private readonly ConcurrentDictionary<(INamedTypeSymbol Owner, ITypeSymbol Handle), bool> _cache = new(OwnerHandleComparer.Instance);

        public Releasable(SpecAnnotations spec)
        {
            _spec = spec;
        }

        public bool IsReleasable(IMethodSymbol method, SpecCall call, ITypeSymbol handle) =>
            (method.ContainingType is { } type && Declares(type, handle))
            || (call.Declaration?.ContainingType is { } declaring && Declares(declaring, handle));

        private bool Declares(INamedTypeSymbol owner, ITypeSymbol handle) =>
            _cache.GetOrAdd((owner, handle), key => DeclaresInSelfOrInterfaces(key.Owner, key.Handle));

        private bool DeclaresInSelfOrInterfaces(INamedTypeSymbol owner, ITypeSymbol handle)
        {
            if (DeclaresIn(owner, handle))
            {
                return true;
            }

            foreach (var @interface in owner.AllInterfaces)
            {
                if (DeclaresIn(@interface, handle))
                {
                    return true;
                }
            }

            return false;
        }

        private bool DeclaresIn(INamedTypeSymbol type, ITypeSymbol handle)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method)
                {
                    foreach (var ordinal in _spec.Get(method).ReleasesOrdinals)
                    {
                        if (ordinal < method.Parameters.Length && SymbolEqualityComparer.Default.Equals(method.Parameters[ordinal].Type, handle))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }

    private sealed class OwnerHandleComparer : System.Collections.Generic.IEqualityComparer<(INamedTypeSymbol Owner, ITypeSymbol Handle)>
    {
        public static readonly OwnerHandleComparer Instance = new();

        public bool Equals((INamedTypeSymbol Owner, ITypeSymbol Handle) x, (INamedTypeSymbol Owner, ITypeSymbol Handle) y) =>
            SymbolEqualityComparer.Default.Equals(x.Owner, y.Owner) && SymbolEqualityComparer.Default.Equals(x.Handle, y.Handle);

        public int GetHashCode((INamedTypeSymbol Owner, ITypeSymbol Handle) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Owner) * 397) ^ SymbolEqualityComparer.Default.GetHashCode(obj.Handle);
    }
}
