using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ApiLab.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB0001-APILAB0010: a <c>[Proposal]</c> spec the generator cannot turn into an adapter. The generator never
/// reports (it generates nothing for such a spec); this analyzer runs the same linked <see cref="SpecValidator"/> and
/// says why.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SpecShapeAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor ProposalShapeRule = new(
        DiagnosticIds.ProposalShape,
        "[Proposal] must be on a top-level, non-generic partial interface",
        "Spec '{0}' cannot get an adapter: {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.ProposalShape));

    internal static readonly DiagnosticDescriptor MemberNotASyscallRule = new(
        DiagnosticIds.MemberNotASyscall,
        "Spec members must be instance methods with [Syscall]",
        "Spec member '{0}' cannot be adapted: {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.MemberNotASyscall));

    internal static readonly DiagnosticDescriptor ReturnTypeNotSysResultRule = new(
        DiagnosticIds.ReturnTypeNotSysResult,
        "Spec methods must return SysResult<T>",
        "Spec method '{0}' returns '{1}' instead of SysResult<T>",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.ReturnTypeNotSysResult));

    internal static readonly DiagnosticDescriptor TargetMissingRule = new(
        DiagnosticIds.TargetMissing,
        "Spec methods must say what they act on",
        "Spec method '{0}' has no usable target: {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.TargetMissing));

    internal static readonly DiagnosticDescriptor HintAndTargetVisibleRule = new(
        DiagnosticIds.HintAndTargetVisible,
        "A call is either a hint or target-visible",
        "Spec method '{0}' is marked both [Hint] and [TargetVisible]",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.HintAndTargetVisible));

    internal static readonly DiagnosticDescriptor RevalidatorNotAHandleRule = new(
        DiagnosticIds.RevalidatorNotAHandle,
        "Revalidating handles must be [Handle] types",
        "'{0}' uses '{1}' as a revalidating handle, but '{1}' is not marked [Handle]",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.RevalidatorNotAHandle));

    internal static readonly DiagnosticDescriptor UnsupportedSignatureRule = new(
        DiagnosticIds.UnsupportedSignature,
        "Spec method signature cannot be adapted",
        "Spec method '{0}' cannot be adapted: {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UnsupportedSignature));

    internal static readonly DiagnosticDescriptor VectoredWithoutIoVecRule = new(
        DiagnosticIds.VectoredWithoutIoVec,
        "[Vectored] methods must take an iovec",
        "Spec method '{0}' is [Vectored] but takes no ReadOnlySpan<IoVec> or IoVec[]",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.VectoredWithoutIoVec));

    internal static readonly DiagnosticDescriptor MustBeZeroNotIntegerRule = new(
        DiagnosticIds.MustBeZeroNotInteger,
        "[MustBeZero] needs an integer parameter",
        "[MustBeZero] parameter '{0}' has type '{1}', which is not an integer type",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.MustBeZeroNotInteger));

    internal static readonly DiagnosticDescriptor ProposalIdentityRule = new(
        DiagnosticIds.ProposalIdentity,
        "[Proposal] needs a debate, a design and a seed thread",
        "Spec '{0}' is not identified: {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.ProposalIdentity));

    // Static fields initialise in textual order: these two must follow the descriptors.
    private static readonly ImmutableArray<DiagnosticDescriptor> AllRules = ImmutableArray.Create(
        ProposalShapeRule, MemberNotASyscallRule, ReturnTypeNotSysResultRule, TargetMissingRule, HintAndTargetVisibleRule,
        RevalidatorNotAHandleRule, UnsupportedSignatureRule, VectoredWithoutIoVecRule, MustBeZeroNotIntegerRule,
        ProposalIdentityRule);

    /// <summary>The validator names rules by id; one it gains before this analyzer learns of it is skipped, not thrown.</summary>
    private static readonly ImmutableDictionary<string, DiagnosticDescriptor> RulesById =
        AllRules.ToImmutableDictionary(static d => d.Id);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AllRules;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        // The attribute is recognised by its full name on each type rather than looked up at compilation start, which
        // would bind every reference before the compiler does (and be charged for it in csc's ReportAnalyzer figure).
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private const string ProposalAttributeName = "ProposalAttribute";

    private static bool IsProposalAttribute(INamedTypeSymbol? type) =>
        type is { Name: ProposalAttributeName, ContainingNamespace: { Name: "Spec", ContainingNamespace: { Name: "ApiLab", ContainingNamespace.IsGlobalNamespace: true } } };

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(static a => IsProposalAttribute(a.AttributeClass)))
        {
            return;
        }

        foreach (var violation in SpecValidator.Validate(type, context.CancellationToken))
        {
            if (RulesById.TryGetValue(violation.RuleId, out var rule))
            {
                var args = violation.MessageArgs.IsDefault ? Enumerable.Empty<object>() : violation.MessageArgs.Cast<object>();
                context.ReportDiagnostic(Diagnostic.Create(rule, LocationOf(violation, type, context.CancellationToken), args.ToArray()));
            }
        }
    }

    /// <summary>
    /// The attribute at fault if there is one, else the symbol, else (a member inherited from a referenced assembly)
    /// the spec itself: a diagnostic must land in source to be seen and suppressible.
    /// </summary>
    private static Location LocationOf(SpecViolation violation, INamedTypeSymbol spec, CancellationToken cancellationToken)
    {
        if (violation.Attribute?.ApplicationSyntaxReference is { } reference)
        {
            return reference.GetSyntax(cancellationToken).GetLocation();
        }

        return FirstSourceLocation(violation.Symbol.Locations) ?? FirstSourceLocation(spec.Locations) ?? Location.None;
    }

    private static Location? FirstSourceLocation(IEnumerable<Location> locations) =>
        locations.FirstOrDefault(static l => l.IsInSource);
}
