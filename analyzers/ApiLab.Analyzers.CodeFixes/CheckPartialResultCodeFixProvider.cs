using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// APILAB1003: compares the result of a <c>[PartialResult]</c> call with the requested byte count (the lengths of its
/// <c>[TargetRange]</c> argument) and throws when it did only part. Offered where this is mechanical: the call is a
/// statement of its own (its result ignored or discarded) or initialises a local SysResult, inside a block, and the
/// range argument is a variable path (evaluating it twice changes nothing).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckPartialResultCodeFixProvider)), Shared]
public sealed class CheckPartialResultCodeFixProvider : CodeFixProvider
{
    private const string Title = "Compare the result with the requested byte count";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PartialResultNotChecked);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation)
            {
                continue;
            }

            if (Plan(model, invocation, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => ApplyAsync(context.Document, plan, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    /// <summary>What the fix will write: the statement to anchor on, the result variable, and the range argument.</summary>
    private sealed record FixPlan(
        StatementSyntax Statement,
        InvocationExpressionSyntax Invocation,
        string? ExistingResult,
        ExpressionSyntax Ranges,
        bool RangesAreOneIoVec,
        string CallName);

    private static FixPlan? Plan(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || SpecAnnotations.TryCreate(model.Compilation) is not { IoVec: not null } spec
            || spec.SysResultValueType(method.ReturnType) is not { } valueType
            || !IsInteger(valueType))
        {
            return null;
        }

        var call = spec.Get(method);
        if (call.TargetRangeOrdinals.IsEmpty || FindArgument(model, invocation, method, call.TargetRangeOrdinals[0], cancellationToken) is not { } ranges
            || !IsVariablePath(ranges))
        {
            return null;
        }

        var rangesType = model.GetTypeInfo(ranges, cancellationToken).Type;
        var isOne = SymbolEqualityComparer.Default.Equals(rangesType, spec.IoVec);
        if (!isOne && !IsIoVecCollection(rangesType, spec.IoVec))
        {
            return null;
        }

        // The statement that holds the call, and what it does with the result.
        var parent = invocation.Parent;
        string? existing = null;
        StatementSyntax? statement = null;
        switch (parent)
        {
            case ExpressionStatementSyntax expressionStatement:
                statement = expressionStatement;
                break;
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax discard }:
                statement = discard;
                break;
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                when declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax local }:
                statement = local;
                existing = declarator.Identifier.ValueText;
                break;
        }

        if (statement?.Parent is not BlockSyntax)
        {
            return null;
        }

        var name = method.ContainingType is { } type ? type.Name + "." + method.Name : method.Name;
        return new FixPlan(statement, invocation, existing, ranges, isOne, name);
    }

    private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var position = plan.Statement.SpanStart;
        var requested = UniqueName(model, position, "requested");
        var result = plan.ExistingResult ?? UniqueName(model, position, "result");
        var ranges = plan.Ranges.WithoutTrivia().ToString();

        var lines = new System.Collections.Generic.List<string>();
        if (plan.RangesAreOneIoVec)
        {
            lines.Add($"var {requested} = (long){ranges}.Length;");
        }
        else
        {
            var element = UniqueName(model, position, "range");
            lines.Add($"long {requested} = 0;");
            lines.Add($"foreach (var {element} in {ranges})");
            lines.Add($"    {requested} += (long){element}.Length;");
        }

        string condition;
        if (plan.ExistingResult is null)
        {
            // The result was dropped: keep the call, now into a local, and test failure and partial success together.
            lines.Add($"var {result} = {plan.Invocation.WithoutTrivia()};");
            condition = $"!{result}.IsOk || {result}.Value != {requested}";
        }
        else
        {
            lines.Add(plan.Statement.WithoutTrivia().ToString());
            condition = $"{result}.IsOk && {result}.Value != {requested}";
        }

        var message = string.Format(CultureInfo.InvariantCulture, "$\"{0} did {{{1}.ValueOrDefault}} of {{{2}}} bytes ({{{1}.Error}})\"", plan.CallName, result, requested);
        lines.Add($"if ({condition})");
        lines.Add("{");
        var exception = model.LookupNamespacesAndTypes(position, name: "InvalidOperationException").Length > 0
            ? "InvalidOperationException"
            : "System.InvalidOperationException";
        lines.Add($"    throw new {exception}({message});");
        lines.Add("}");

        var newRoot = root.ReplaceNode(plan.Statement, StatementText.Replace(plan.Statement, lines));
        return document.WithSyntaxRoot(newRoot);
    }

    private static ExpressionSyntax? FindArgument(SemanticModel model, InvocationExpressionSyntax invocation, IMethodSymbol method, int ordinal, CancellationToken cancellationToken)
    {
        if (model.GetOperation(invocation, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation operation)
        {
            return null;
        }

        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal && argument.Syntax is ArgumentSyntax syntax)
            {
                return syntax.Expression;
            }
        }

        return null;
    }

    /// <summary>A local, parameter, field or property path: reading it again has no effect.</summary>
    private static bool IsVariablePath(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax { Expression: var inner } => inner is ThisExpressionSyntax || IsVariablePath(inner),
        _ => false,
    };

    private static bool IsInteger(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static bool IsIoVecCollection(ITypeSymbol? type, INamedTypeSymbol ioVec)
    {
        if (type is IArrayTypeSymbol array)
        {
            return SymbolEqualityComparer.Default.Equals(array.ElementType, ioVec);
        }

        return type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], ioVec)
            && (named.Name is "ReadOnlySpan" or "Span" || named.AllInterfaces.Length > 0);
    }

    internal static string UniqueName(SemanticModel model, int position, string baseName)
    {
        var name = baseName;
        for (var i = 1; model.LookupSymbols(position, name: name).Length > 0 || IsDeclaredLater(model, position, name); i++)
        {
            name = baseName + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>A local declared anywhere in the enclosing member also clashes (C# forbids shadowing it).</summary>
    private static bool IsDeclaredLater(SemanticModel model, int position, string name)
    {
        var token = model.SyntaxTree.GetRoot().FindToken(position);
        var member = token.Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is null)
        {
            return false;
        }

        foreach (var node in member.DescendantNodes())
        {
            if ((node is VariableDeclaratorSyntax declarator && declarator.Identifier.ValueText == name)
                || (node is ForEachStatementSyntax loop && loop.Identifier.ValueText == name)
                || (node is SingleVariableDesignationSyntax designation && designation.Identifier.ValueText == name))
            {
                return true;
            }
        }

        return false;
    }
}
