using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB1006: a call whose spec <c>[Requires]</c> a capability or a ptrace access mode that the calling code does not
/// declare with <c>[RunsWith]</c>. The nearest declaration counts: the calling method (or constructor), then each
/// containing type outward, then the assembly. With no declaration anywhere the privileges are unknown and nothing is
/// reported, unless <c>apilab_1006.strict = true</c>, which reads "no declaration" as "no privileges".
/// ptrace access is covered by CAP_SYS_PTRACE (which overrides the check, as <c>ptrace_has_cap</c> does) or by a
/// declared mode at least as strong: ATTACH covers READ, and the credential source (FSCREDS/REALCREDS) must match.
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class UndeclaredPrivilegeAnalyzer : CallSiteRule
{
    /// <summary><c>.editorconfig</c> key: when true, code without any <c>[RunsWith]</c> is checked as declaring nothing.</summary>
    public const string StrictOption = "apilab_1006.strict";

    private const int PtraceRead = 0x01;
    private const int PtraceAttach = 0x02;
    private const int PtraceCredentialBits = 0x04 | 0x08;

    /// <summary>Capability.SysPtrace (include/uapi/linux/capability.h: CAP_SYS_PTRACE = 19).</summary>
    internal const int CapSysPtrace = 19;

    private const string Title = "Call needs a privilege the calling context does not declare";

    private const string Description =
        "The spec says this call needs a capability or ptrace access to its target. Declare what the code runs with " +
        "([RunsWith] on the method, its type or the assembly) so that a call needing more is caught at compile time " +
        "instead of failing with EPERM or EACCES at run time.";

    internal static readonly DiagnosticDescriptor UndeclaredRule = new(
        DiagnosticIds.UndeclaredPrivilege,
        Title,
        "'{0}' requires {1}, which [RunsWith] on '{2}' does not declare",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UndeclaredPrivilege));

    internal static readonly DiagnosticDescriptor NoDeclarationRule = new(
        DiagnosticIds.UndeclaredPrivilege,
        Title,
        "'{0}' requires {1}, and the calling code declares no [RunsWith] (strict mode)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UndeclaredPrivilege));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UndeclaredRule, NoDeclarationRule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation)
    {
        if (spec.RunsWith is not { } runsWith)
        {
            return null;
        }

        var names = new EnumNames(compilation);
        // One callback per body over its spec calls (listed once for every rule), not one per invocation.
        return blockContext =>
        {
            // What the body declares is the same for all its calls: looked up once, when a call first needs it.
            (Privileges? Declared, ISymbol? On)? declaration = null;
            foreach (var (invocation, call) in BodyCalls.Of(blockContext, spec))
            {
                Analyze(blockContext, names, invocation, call, () => declaration ??= FindDeclaration(blockContext.OwningSymbol, runsWith));
            }
        };
    }

    private static void Analyze(SpecBody context, EnumNames names, IInvocationOperation invocation, SpecCall call,
        Func<(Privileges? Declared, ISymbol? On)> declaration)
    {
        if (call.Requires is not { } required
            || (required.PtraceMode == 0 && required.Capabilities.IsEmpty))
        {
            return;
        }

        var (declared, declaredOn) = declaration();
        if (declared is null)
        {
            if (!IsStrict(context, invocation.Syntax.SyntaxTree))
            {
                return;
            }

            declared = new Privileges(0, ImmutableArray<int>.Empty);
        }

        var missing = Missing(required, declared, names);
        if (missing.Count == 0)
        {
            return;
        }

        var callee = invocation.TargetMethod.ContainingType is { } type ? type.Name + "." + invocation.TargetMethod.Name : invocation.TargetMethod.Name;
        var list = string.Join(" and ", missing);
        context.ReportDiagnostic(declaredOn is null
            ? Diagnostic.Create(NoDeclarationRule, invocation.Syntax.GetLocation(), callee, list)
            : Diagnostic.Create(UndeclaredRule, invocation.Syntax.GetLocation(), callee, list, declaredOn.Name));
    }

    /// <summary>The nearest <c>[RunsWith]</c>: the member, containing members and types outward, then the assembly.</summary>
    internal static (Privileges? Declared, ISymbol? On) FindDeclaration(ISymbol? symbol, INamedTypeSymbol runsWith)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol or INamedTypeSymbol or IAssemblySymbol
                && SpecAnnotations.FindAttribute(current, runsWith) is { } attribute
                && SpecAnnotations.ReadPrivileges(attribute) is { } privileges)
            {
                return (privileges, current);
            }

            if (current is IAssemblySymbol)
            {
                break;
            }
        }

        return (null, null);
    }

    private static List<string> Missing(Privileges required, Privileges declared, EnumNames names)
    {
        var missing = new List<string>();
        foreach (var capability in required.Capabilities)
        {
            if (!declared.Capabilities.Contains(capability))
            {
                missing.Add(names.Capability(capability));
            }
        }

        if (required.PtraceMode != 0 && !declared.Capabilities.Contains(CapSysPtrace) && !Covers(declared.PtraceMode, required.PtraceMode))
        {
            missing.Add(names.PtraceMode(required.PtraceMode));
        }

        return missing;
    }

    internal static bool Covers(int declared, int required)
    {
        var access = (required & PtraceAttach) != 0 ? (declared & PtraceAttach) != 0
            : (required & PtraceRead) == 0 || (declared & (PtraceRead | PtraceAttach)) != 0;
        var credentials = (required & PtraceCredentialBits) == 0 || (declared & required & PtraceCredentialBits) == (required & PtraceCredentialBits);
        return access && credentials;
    }

    private static bool IsStrict(SpecBody context, SyntaxTree tree) =>
        context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(StrictOption, out var value)
        && bool.TryParse(value, out var strict)
        && strict;

    /// <summary>Display names of Capability and PtraceMode values, read from the enums once per compilation.</summary>
    private sealed class EnumNames
    {
        private readonly ImmutableDictionary<int, string> _capabilities;
        private readonly ImmutableDictionary<int, string> _modes;

        public EnumNames(Compilation compilation)
        {
            _capabilities = Read(compilation, "ApiLab.Spec.Capability");
            _modes = Read(compilation, "ApiLab.Spec.PtraceMode");
        }

        public string Capability(int value) => _capabilities.TryGetValue(value, out var name) ? "Capability." + name : "capability " + value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string PtraceMode(int value) => _modes.TryGetValue(value, out var name) ? "PtraceMode." + name : "ptrace mode 0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

        private static ImmutableDictionary<int, string> Read(Compilation compilation, string metadataName)
        {
            var builder = ImmutableDictionary.CreateBuilder<int, string>();
            if (compilation.GetTypeByMetadataName(metadataName) is { } type)
            {
                // Later names win for aliases: PtraceMode.ReadFsCreds (declared after Read and FsCreds) names 0x05.
                foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.HasConstantValue && field.ConstantValue is int value)
                    {
                        builder[value] = field.Name;
                    }
                }
            }

            return builder.ToImmutable();
        }
    }
}
