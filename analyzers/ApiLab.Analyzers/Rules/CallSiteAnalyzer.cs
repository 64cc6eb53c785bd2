using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// The call-site rules (APILAB1001-1007, each a <see cref="CallSiteRule"/>) as the one analyzer a build loads: each
/// body that may call a spec member gets one callback, in which every rule that applies analyses it in turn, sharing
/// the body's operation tree, its list of spec calls and its control flow graphs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallSiteAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<CallSiteRule> Rules = ImmutableArray.Create<CallSiteRule>(
        new UnrevalidatedSnapshotRangeAnalyzer(),
        new PidWherePidfdExistsAnalyzer(),
        new PartialResultAnalyzer(),
        new TargetVisibleWithoutFreezeAnalyzer(),
        new HandleLifetimeAnalyzer(),
        new UndeclaredPrivilegeAnalyzer(),
        new SecretExposureAnalyzer());

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        Rules.SelectMany(static rule => rule.SupportedDiagnostics).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static compilationContext => Register(compilationContext, Rules));
    }

    /// <summary>Registers <paramref name="rules"/> on every body that may call a spec member, leaving out a rule that the
    /// compilation's options turn off (all its ids suppressed), as the compiler leaves out a whole analyzer.</summary>
    internal static void Register(CompilationStartAnalysisContext context, ImmutableArray<CallSiteRule> rules)
    {
        var compilation = context.Compilation;
        var enabled = Enabled(compilation, rules, context.CancellationToken);
        if (enabled.IsEmpty)
        {
            return;
        }

        SpecBody.Register(context, spec =>
        {
            var analyses = new List<Action<SpecBody>>(enabled.Length);
            foreach (var rule in enabled)
            {
                if (rule.Create(spec, compilation) is { } analyze)
                {
                    analyses.Add(analyze);
                }
            }

            return analyses.Count switch
            {
                0 => null,
                1 => analyses[0],
                _ => body =>
                {
                    foreach (var analyze in analyses)
                    {
                        analyze(body);
                    }
                },
            };
        });
    }

    /// <summary>The rules not turned off for the whole compilation. Compilation-wide settings only (/nowarn, a global
    /// config): a rule turned off for some files still runs there, and the driver drops what it reports.</summary>
    internal static ImmutableArray<CallSiteRule> Enabled(Compilation compilation, ImmutableArray<CallSiteRule> rules, System.Threading.CancellationToken cancellationToken) =>
        rules.Where(rule => !IsSuppressed(compilation, rule, cancellationToken)).ToImmutableArray();

    /// <summary>All seven, for the tests of <see cref="Enabled"/>.</summary>
    internal static ImmutableArray<CallSiteRule> All => Rules;

    private static bool IsSuppressed(Compilation compilation, DiagnosticAnalyzer rule, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var descriptor in rule.SupportedDiagnostics)
        {
            if (!IsSuppressed(compilation, descriptor, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSuppressed(Compilation compilation, DiagnosticDescriptor descriptor, System.Threading.CancellationToken cancellationToken)
    {
        if (compilation.Options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var option))
        {
            return option == ReportDiagnostic.Suppress;
        }

        if (compilation.Options.SyntaxTreeOptionsProvider is { } provider
            && provider.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out var global))
        {
            return global == ReportDiagnostic.Suppress;
        }

        return !descriptor.IsEnabledByDefault;
    }
}
