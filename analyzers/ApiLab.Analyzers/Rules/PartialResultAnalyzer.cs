using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Generic;
using System.Collections.Immutable;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB1003: the result of a <c>[PartialResult]</c> call (process_madvise, process_vm_readv: they return how much
/// they did before the first failure) is ignored, or only tested for failure (<c>IsOk</c>, <c>Error</c>, a comparison
/// with a constant such as -1 or 0) and never compared with what was asked for. Which calls half-succeed comes from
/// the callee's annotation, read through adapters to the spec interface.
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class PartialResultAnalyzer : CallSiteRule
{
    /// <summary>Diagnostic property: <see cref="IgnoredKind"/> or <see cref="FailureOnlyKind"/>, read by the code fix.</summary>
    public const string KindProperty = "Kind";

    public const string IgnoredKind = "Ignored";

    public const string FailureOnlyKind = "FailureOnly";

    private const string Title = "Partial result of a vectored call not checked";

    private const string Description =
        "A [PartialResult] call can do part of the request and stop at the first failure, returning how much it did. " +
        "Testing only for failure treats a half-done request as done: compare the result with the requested total.";

    internal static readonly DiagnosticDescriptor IgnoredRule = new(
        DiagnosticIds.PartialResultNotChecked,
        Title,
        "The result of '{0}' is ignored; the call may have done only part of the request",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.PartialResultNotChecked));

    internal static readonly DiagnosticDescriptor FailureOnlyRule = new(
        DiagnosticIds.PartialResultNotChecked,
        Title,
        "The result of '{0}' is only tested for failure; compare it with the requested total, the call may have done only part of it",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.PartialResultNotChecked));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(IgnoredRule, FailureOnlyRule);

    // One callback per body over its spec calls (listed once for every rule), not one per invocation.
    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation) => blockContext =>
    {
        // The reads of each local, indexed once per body for all its calls (rather than a walk per call).
        var reads = new LocalReads();
        foreach (var (invocation, call) in BodyCalls.Of(blockContext, spec))
        {
            Analyze(blockContext, spec, invocation, call, reads);
        }
    };

    private static void Analyze(SpecBody context, SpecAnnotations spec, IInvocationOperation invocation, SpecCall call, LocalReads reads)
    {
        if (!call.PartialResult)
        {
            return;
        }

        var use = new ResultUses(spec, invocation, reads).Classify();
        if (use == Use.Checked)
        {
            return;
        }

        var ignored = use == Use.None;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, ignored ? IgnoredKind : FailureOnlyKind);
        var name = invocation.TargetMethod.ContainingType is { } type ? type.Name + "." + invocation.TargetMethod.Name : invocation.TargetMethod.Name;
        context.ReportDiagnostic(Diagnostic.Create(ignored ? IgnoredRule : FailureOnlyRule, invocation.Syntax.GetLocation(), properties, name));
    }

    /// <summary>The strongest thing the code does with a result. Ordered: a stronger use wins.</summary>
    private enum Use
    {
        None,
        FailureTest,
        Checked,
    }

    /// <summary>Follows the call's value (and the SysResult's <c>Value</c>) through the locals that hold it.</summary>
    private sealed class ResultUses
    {
        private readonly SpecAnnotations _spec;
        private readonly IInvocationOperation _invocation;
        private readonly LocalReads _reads;
        private readonly HashSet<ILocalSymbol> _seen = new(SymbolEqualityComparer.Default);
        private IOperation? _body;

        public ResultUses(SpecAnnotations spec, IInvocationOperation invocation, LocalReads reads)
        {
            _spec = spec;
            _invocation = invocation;
            _reads = reads;
        }

        public Use Classify() => ClassifyValue(_invocation, isResult: _spec.SysResultValueType(_invocation.Type) is not null);

        /// <param name="operation">An operation whose value is the call's result.</param>
        /// <param name="isResult">The operation is a whole SysResult (else it is the count itself).</param>
        private Use ClassifyValue(IOperation operation, bool isResult)
        {
            var parent = SkipConversions(operation, out var child);
            switch (parent)
            {
                case null:
                case IExpressionStatementOperation:
                    return Use.None;
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                    return Use.None;
                case ISimpleAssignmentOperation assignment when assignment.Value == child && assignment.Target is ILocalReferenceOperation local:
                    return Max(ClassifyLocal(local.Local, isResult), ClassifyValue(assignment, isResult));
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return ClassifyLocal(declarator.Symbol, isResult);
                case IPropertyReferenceOperation property when isResult && property.Instance == child:
                    return ClassifyMember(property);
                case IBinaryOperation binary when !isResult:
                    return ClassifyComparison(binary, child);
                case IIsPatternOperation or ISwitchOperation or ISwitchExpressionOperation:
                    // Patterns are not picked apart: assume they check the count.
                    return Use.Checked;
                default:
                    // Passed on, returned, stored, added up: someone else may compare it.
                    return Use.Checked;
            }
        }

        private Use ClassifyMember(IPropertyReferenceOperation property) =>
            property.Property.Name switch
            {
                WellKnownTypeNames.SysResultIsOk or WellKnownTypeNames.SysResultError => Use.FailureTest,
                WellKnownTypeNames.SysResultValue or WellKnownTypeNames.SysResultValueOrDefault => ClassifyValue(property, isResult: false),
                _ => Use.Checked,
            };

        private static Use ClassifyComparison(IBinaryOperation binary, IOperation child)
        {
            var other = binary.LeftOperand == child ? binary.RightOperand : binary.LeftOperand;
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
                    or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual:
                    // n < 0, n == -1, n != 0: failure tests. Anything else is a comparison with some total.
                    return other.ConstantValue.HasValue ? Use.FailureTest : Use.Checked;
                default:
                    return Use.Checked;
            }
        }

        private Use ClassifyLocal(ILocalSymbol local, bool isResult)
        {
            if (!_seen.Add(local))
            {
                return Use.None;
            }

            var use = Use.None;
            foreach (var reference in _reads.Of(Body(), local))
            {
                use = Max(use, ClassifyValue(reference, isResult));
                if (use == Use.Checked)
                {
                    return use;
                }
            }

            return use;
        }

        private IOperation Body()
        {
            if (_body is null)
            {
                IOperation root = _invocation;
                while (root.Parent is { } parent)
                {
                    root = parent;
                }

                _body = root;
            }

            return _body;
        }


        private static IOperation? SkipConversions(IOperation operation, out IOperation child)
        {
            child = operation;
            var parent = operation.Parent;
            while (parent is IConversionOperation)
            {
                child = parent;
                parent = parent.Parent;
            }

            return parent;
        }

        private static Use Max(Use a, Use b) => a > b ? a : b;
    }

    /// <summary>The reads (not plain writes) of each local of a body, in tree order: one walk per body.</summary>
    private sealed class LocalReads
    {
        private static readonly ILocalReferenceOperation[] None = new ILocalReferenceOperation[0];
        private IOperation? _root;
        private Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>? _reads;

        public IReadOnlyList<ILocalReferenceOperation> Of(IOperation root, ILocalSymbol local)
        {
            if (_reads is null || !ReferenceEquals(root, _root))
            {
                _root = root;
                _reads = Index(root);
            }

            return _reads.TryGetValue(local, out var reads) ? reads : (IReadOnlyList<ILocalReferenceOperation>)None;
        }

        private static Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> Index(IOperation root)
        {
            var reads = new Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>(SymbolEqualityComparer.Default);
            foreach (var operation in root.Descendants())
            {
                if (operation is ILocalReferenceOperation reference && !IsWrite(reference))
                {
                    if (!reads.TryGetValue(reference.Local, out var list))
                    {
                        list = new List<ILocalReferenceOperation>();
                        reads[reference.Local] = list;
                    }

                    list.Add(reference);
                }
            }

            return reads;
        }

        private static bool IsWrite(ILocalReferenceOperation reference) =>
            reference.Parent is IAssignmentOperation assignment && assignment.Target == reference && reference.Parent is not ICompoundAssignmentOperation;
    }
}
