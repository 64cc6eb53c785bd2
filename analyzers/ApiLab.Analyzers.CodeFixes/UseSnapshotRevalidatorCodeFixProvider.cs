using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.CodeFixes;

/// <summary>
/// APILAB1001: passes the snapshot's own revalidating handle (the cookie, the per-VMA fd) to the call's
/// <c>[Revalidates]</c> parameter, so the kernel refuses the call if the layout changed since the snapshot. Mechanical
/// when the call has such a parameter and exactly one local in scope before it holds a handle of that type from a
/// <c>[Snapshot(RevalidatedBy = T)]</c> call: the handle itself (an <c>out</c> cookie) or a property of type T of the
/// snapshot's result (<c>snapshot.Cookie</c>). A call with no <c>[Revalidates]</c> parameter (mainline
/// process_madvise) has no cookie form to switch to on the same receiver: no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSnapshotRevalidatorCodeFixProvider)), Shared]
public sealed class UseSnapshotRevalidatorCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnrevalidatedSnapshotRange);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || SpecAnnotations.TryCreate(model.Compilation) is not { } spec)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<ArgumentSyntax>() is not { } rangeArgument
                || rangeArgument.Parent?.Parent is not InvocationExpressionSyntax invocation
                || model.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation
                || spec.Get(operation.TargetMethod) is not { RevalidatesOrdinals.IsEmpty: false } call)
            {
                continue;
            }

            var ordinal = call.RevalidatesOrdinals[0];
            var handleType = operation.TargetMethod.Parameters[ordinal].Type;
            IArgumentOperation? revalidator = null;
            foreach (var argument in operation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal && argument.Syntax is ArgumentSyntax)
                {
                    revalidator = argument;
                }
            }

            if (revalidator is null || FindHandle(model, spec, invocation, handleType, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            var title = "Pass '" + replacement + "' to revalidate the range";
            var target = (ArgumentSyntax)revalidator.Syntax;
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                        target.Expression,
                        SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(target.Expression)))),
                    equivalenceKey: nameof(UseSnapshotRevalidatorCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The one expression naming a handle of <paramref name="handleType"/> from a snapshot call before the
    /// invocation, or null when there is none or more than one.</summary>
    private static string? FindHandle(SemanticModel model, SpecAnnotations spec, InvocationExpressionSyntax invocation, ITypeSymbol handleType, CancellationToken cancellationToken)
    {
        var body = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (body is null)
        {
            return null;
        }

        var found = new List<string>();
        foreach (var node in body.DescendantNodes())
        {
            if (node.SpanStart >= invocation.SpanStart || node is not InvocationExpressionSyntax candidate
                || model.GetOperation(candidate, cancellationToken) is not IInvocationOperation snapshotCall
                || spec.Get(snapshotCall.TargetMethod) is not { IsSnapshot: true } snapshot
                || !SymbolEqualityComparer.Default.Equals(snapshot.RevalidatedBy, handleType))
            {
                continue;
            }

            // An out argument of the handle type: c.QueryVmas(fd, out var cookie).
            foreach (var argument in snapshotCall.Arguments)
            {
                if (argument.Parameter?.RefKind == RefKind.Out && SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, handleType)
                    && Local(argument.Value) is { } outLocal && InScope(model, invocation, outLocal))
                {
                    found.Add(outLocal.Name);
                }
            }

            // The result in a local: var s = c.QueryVmas(fd).Value (or the SysResult itself), and s's handle property.
            var holder = candidate.Parent is MemberAccessExpressionSyntax { Parent: var unwrapped } ? unwrapped : candidate.Parent;
            if (holder is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                && model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol local
                && InScope(model, invocation, local))
            {
                var valueType = spec.SysResultValueType(local.Type);
                var owner = valueType ?? local.Type;
                var prefix = valueType is null ? local.Name : local.Name + ".Value";
                foreach (var member in owner.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false } property && SymbolEqualityComparer.Default.Equals(property.Type, handleType))
                    {
                        found.Add(prefix + "." + property.Name);
                    }
                }
            }
        }

        return found.Count == 1 ? found[0] : null;
    }

    private static ILocalSymbol? Local(IOperation operation) => operation switch
    {
        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared.Local,
        ILocalReferenceOperation local => local.Local,
        _ => null,
    };

    private static bool InScope(SemanticModel model, SyntaxNode at, ILocalSymbol local)
    {
        foreach (var symbol in model.LookupSymbols(at.SpanStart, name: local.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(symbol, local))
            {
                return true;
            }
        }

        return false;
    }
}
