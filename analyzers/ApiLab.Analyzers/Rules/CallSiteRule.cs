using System;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// One call-site rule (APILAB1001-1007): its descriptors, and the analysis of one body it makes for a compilation. The
/// build runs all of them through one analyzer, <see cref="CallSiteAnalyzer"/>, so that a body is looked at once: one
/// callback, one list of its spec calls, one control flow graph, where seven analyzers each took their own callback
/// and shared the rest through global tables. On its own (a test, or a build that wants one rule) a rule is an
/// analyzer too, and runs exactly as it does inside the composite. A rule carries no <c>[DiagnosticAnalyzer]</c>
/// (RS1001 is suppressed on each): loaded beside the composite, it would run twice.
/// </summary>
public abstract class CallSiteRule : DiagnosticAnalyzer
{
    /// <summary>The rule's analysis of a body for the compilation's annotations, or null when it has nothing to check
    /// in this compilation (no <c>[Handle]</c> type, say). Made once per compilation, when the first body needs it.</summary>
    internal abstract Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(compilationContext => CallSiteAnalyzer.Register(compilationContext, [this]));
    }
}
