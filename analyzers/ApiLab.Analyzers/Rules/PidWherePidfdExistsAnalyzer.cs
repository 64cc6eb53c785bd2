using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB1002: a raw <c>Pid</c> given to a remote call (<c>[Target(TargetKind.Pid)]</c>) when the spec family offers
/// the same operation on a pidfd. Pids are recycled, so between finding the pid and the call it may come to name
/// another process; a pidfd names one process for its whole life. "The same operation" is decided by annotations:
/// <list type="number">
/// <item>an overload: a member of the called type (or of the spec interface it implements) with the same name and
/// <c>[Target(TargetKind.Pidfd)]</c> whose parameters are the same except a <c>Pidfd</c> where the <c>Pid</c> was
/// (the code fix switches to it);</item>
/// <item>otherwise a member with the same <c>[Syscall]</c> name and <c>[Target(TargetKind.Pidfd)]</c> in any
/// <c>[Proposal]</c> of the same debate declared in the same assembly (another design, reported but not fixed).</item>
/// </list>
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class PidWherePidfdExistsAnalyzer : CallSiteRule
{
    /// <summary>Diagnostic property: the name of the pidfd form.</summary>
    public const string PidfdFormProperty = "PidfdForm";

    /// <summary>Diagnostic property: "true" when the pidfd form is an overload callable on the same receiver.</summary>
    public const string IsOverloadProperty = "IsOverload";

    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.PidWherePidfdExists,
        "Raw pid passed where a pidfd form exists",
        "'{0}' names its target by a raw pid, which can be reused by another process before the call acts; '{1}' takes a pidfd instead",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A pid can be recycled between the moment it is found and the moment a call acts on it. When the " +
            "spec offers the same operation on a pidfd, which names one process for its whole life, use that form.",
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.PidWherePidfdExists));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation)
    {
        if (spec is not { Pid: not null, Pidfd: not null })
        {
            return null;
        }

        var index = new ProposalIndex(spec, compilation);

        // The pidfd form of a member depends on the member alone: looked up once per member per compilation.
        var forms = new ConcurrentDictionary<IMethodSymbol, (IMethodSymbol? Form, bool IsOverload)>(SymbolEqualityComparer.Default);
        // One callback per body over its spec calls (listed once for every rule), not one per invocation.
        return blockContext =>
        {
            foreach (var (invocation, call) in BodyCalls.Of(blockContext, spec))
            {
                Analyze(blockContext, spec, index, forms, invocation, call);
            }
        };
    }

    private static void Analyze(
        SpecBody context,
        SpecAnnotations spec,
        ProposalIndex index,
        ConcurrentDictionary<IMethodSymbol, (IMethodSymbol? Form, bool IsOverload)> forms,
        IInvocationOperation invocation,
        SpecCall call)
    {
        var method = invocation.TargetMethod;
        if (call.TargetKind != WellKnownTypeNames.TargetKindPid || TargetOrdinal(method, spec.Pid!) is not { } ordinal)
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        var (form, isOverload) = forms.GetOrAdd(method, m =>
        {
            var overload = FindOverload(spec, m, ordinal) ?? (call.Declaration is { } declaration ? FindOverload(spec, declaration, ordinal) : null);
            return (overload ?? FindInDebate(spec, index, call, cancellationToken), overload is not null);
        });
        if (form is null)
        {
            return;
        }

        IOperation? argument = null;
        foreach (var candidate in invocation.Arguments)
        {
            if (candidate.Parameter?.Ordinal == ordinal)
            {
                argument = candidate.Value;
            }
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(PidfdFormProperty, form.Name)
            .Add(IsOverloadProperty, isOverload ? "true" : "false");
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            (argument ?? invocation).Syntax.GetLocation(),
            properties,
            DisplayName(method),
            DisplayName(form)));
    }

    /// <summary>The ordinal of the target parameter: the first one of type <c>Pid</c> (as the adapter resolves it).</summary>
    internal static int? TargetOrdinal(IMethodSymbol method, ITypeSymbol targetType)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, targetType))
            {
                return parameter.Ordinal;
            }
        }

        return null;
    }

    /// <summary>A same-named pidfd member of the method's type whose parameters match but for the target.</summary>
    internal static IMethodSymbol? FindOverload(SpecAnnotations spec, IMethodSymbol method, int ordinal)
    {
        if (method.ContainingType is not { } type)
        {
            return null;
        }

        foreach (var member in type.GetMembers(method.Name))
        {
            if (member is IMethodSymbol candidate
                && !SymbolEqualityComparer.Default.Equals(candidate, method)
                && candidate.Parameters.Length == method.Parameters.Length
                && SymbolEqualityComparer.Default.Equals(candidate.Parameters[ordinal].Type, spec.Pidfd)
                && SameParametersExcept(candidate, method, ordinal)
                && spec.Get(candidate).TargetKind == WellKnownTypeNames.TargetKindPidfd)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool SameParametersExcept(IMethodSymbol a, IMethodSymbol b, int ordinal)
    {
        for (var i = 0; i < a.Parameters.Length; i++)
        {
            if (i != ordinal
                && (!SymbolEqualityComparer.Default.Equals(a.Parameters[i].Type, b.Parameters[i].Type)
                    || a.Parameters[i].RefKind != b.Parameters[i].RefKind))
            {
                return false;
            }
        }

        return true;
    }

    private static IMethodSymbol? FindInDebate(SpecAnnotations spec, ProposalIndex index, SpecCall call, CancellationToken cancellationToken)
    {
        if (call.Debate is null || call.SyscallName is null || call.Declaration?.ContainingAssembly is not { } assembly)
        {
            return null;
        }

        foreach (var type in index.SpecsIn(assembly, cancellationToken))
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol candidate
                    && spec.Get(candidate) is { TargetKind: WellKnownTypeNames.TargetKindPidfd } other
                    && other.Debate == call.Debate
                    && other.SyscallName == call.SyscallName)
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string DisplayName(IMethodSymbol method) => method.ContainingType is { } type ? type.Name + "." + method.Name : method.Name;
}
