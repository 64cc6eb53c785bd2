using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.CodeFixes;

/// <summary>
/// APILAB1002: switches a call from its pid form to its pidfd overload. Mechanical when the receiver also offers an
/// opener (a spec member taking one <c>Pid</c> and returning a <c>Pidfd</c>, i.e. pidfd_open) and the call is a
/// statement in a block: the pidfd is opened just before the call, passed in place of the pid, and closed right after
/// it when the receiver has a member with a <c>[Releases] Pidfd</c> parameter (so the fix does not trade APILAB1002
/// for an APILAB1005 leak). The opener's result is unwrapped with <c>.Value</c>: a pid that is already gone now
/// throws at pidfd_open instead of returning ESRCH from the call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UsePidfdCodeFixProvider)), Shared]
public sealed class UsePidfdCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PidWherePidfdExists);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(PidWherePidfdExistsAnalyzer.IsOverloadProperty, out var isOverload) || isOverload != "true"
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
                || node.FirstAncestorOrSelf<ArgumentSyntax>() is not { } argument
                || argument.Parent?.Parent is not InvocationExpressionSyntax invocation
                || Plan(model, invocation, argument, context.CancellationToken) is not { } plan)
            {
                continue;
            }

            var title = "Open a pidfd and call the pidfd form of " + plan.CallName;
            context.RegisterCodeFix(CodeAction.Create(title, ct => ApplyAsync(context.Document, plan, ct), equivalenceKey: nameof(UsePidfdCodeFixProvider)), diagnostic);
        }
    }

    private sealed record FixPlan(
        StatementSyntax Statement,
        ArgumentSyntax PidArgument,
        string? Receiver,
        string Opener,
        string? Closer,
        string CallName);

    private static FixPlan? Plan(SemanticModel model, InvocationExpressionSyntax invocation, ArgumentSyntax argument, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || SpecAnnotations.TryCreate(model.Compilation) is not { Pid: not null, Pidfd: not null } spec
            || invocation.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } statement
            || statement is LocalFunctionStatementSyntax)
        {
            return null;
        }

        string? receiver = null;
        ITypeSymbol? receiverType = method.ContainingType;
        if (invocation.Expression is MemberAccessExpressionSyntax access)
        {
            receiver = access.Expression.WithoutTrivia().ToString();
            receiverType = model.GetTypeInfo(access.Expression, cancellationToken).Type;

            // The receiver is evaluated once more for the opener and the closer: only a variable path is safe.
            if (!IsVariablePath(access.Expression))
            {
                return null;
            }
        }

        if (receiverType is not INamedTypeSymbol type)
        {
            return null;
        }

        IMethodSymbol? opener = null;
        IMethodSymbol? closer = null;
        foreach (var candidate in MethodsOf(type))
        {
            if (candidate.Parameters.Length != 1 || candidate.IsStatic)
            {
                continue;
            }

            var parameterType = candidate.Parameters[0].Type;
            if (opener is null && SymbolEqualityComparer.Default.Equals(parameterType, spec.Pid)
                && SymbolEqualityComparer.Default.Equals(spec.ResultValueType(candidate), spec.Pidfd))
            {
                opener = candidate;
            }
            else if (closer is null && SymbolEqualityComparer.Default.Equals(parameterType, spec.Pidfd) && spec.Get(candidate).ReleasesOrdinals.Contains(0))
            {
                closer = candidate;
            }
        }

        if (opener is null)
        {
            return null;
        }

        var name = method.ContainingType is { } containing ? containing.Name + "." + method.Name : method.Name;
        return new FixPlan(statement, argument, receiver, opener.Name, closer?.Name, name);
    }

    private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var pidfd = CheckPartialResultCodeFixProvider.UniqueName(model, plan.Statement.SpanStart, "pidfd");
        var prefix = plan.Receiver is null ? "" : plan.Receiver + ".";
        var pid = plan.PidArgument.Expression.WithoutTrivia().ToString();

        var call = plan.Statement.ReplaceNode(plan.PidArgument, plan.PidArgument.WithExpression(SyntaxFactory.IdentifierName(pidfd)));
        var lines = new List<string>
        {
            $"var {pidfd} = {prefix}{plan.Opener}({pid}).Value;",
            call.WithoutTrivia().ToString(),
        };
        if (plan.Closer is not null)
        {
            lines.Add($"{prefix}{plan.Closer}({pidfd});");
        }

        return document.WithSyntaxRoot(root.ReplaceNode(plan.Statement, StatementText.Replace(plan.Statement, lines)));
    }

    /// <summary>The type's methods and those of every interface it implements (a spec interface or an adapter).</summary>
    private static IEnumerable<IMethodSymbol> MethodsOf(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method)
            {
                yield return method;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers())
            {
                if (member is IMethodSymbol method)
                {
                    yield return method;
                }
            }
        }
    }

    private static bool IsVariablePath(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax { Expression: var inner } => IsVariablePath(inner),
        _ => false,
    };
}
