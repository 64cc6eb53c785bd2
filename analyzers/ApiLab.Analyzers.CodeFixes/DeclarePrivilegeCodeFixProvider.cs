using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace ApiLab.Analyzers.CodeFixes;

/// <summary>
/// APILAB1006: declares on the calling method that it runs with what the call requires. The new
/// <c>[RunsWith]</c> on the method is the nearest declaration from then on, so it carries everything the previous
/// nearest one (the method's own, its type's or the assembly's) declared, plus what is missing: it widens this method
/// only. This records a fact about how the code is deployed; it grants nothing, so apply it only where it is true.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclarePrivilegeCodeFixProvider)), Shared]
public sealed class DeclarePrivilegeCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UndeclaredPrivilege);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || SpecAnnotations.TryCreate(model.Compilation) is not { RunsWith: not null } spec)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                || model.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation
                || spec.Get(operation.TargetMethod).Requires is not { } required
                || invocation.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is not { } method
                    || method is not (MethodDeclarationSyntax or ConstructorDeclarationSyntax)
                || model.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol methodSymbol)
            {
                continue;
            }

            var (declared, _) = UndeclaredPrivilegeAnalyzer.FindDeclaration(methodSymbol, spec.RunsWith);
            var arguments = Arguments(model.Compilation, Merge(declared, required));
            var shown = arguments.Count == 0 ? "RunsWith" : "RunsWith(" + string.Join(", ", arguments).Replace("ApiLab.Spec.", "") + ")";
            var title = "Declare [" + shown + "] on '" + methodSymbol.Name + "'";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ApplyAsync(context.Document, model, method, spec.RunsWith, arguments, ct), equivalenceKey: nameof(DeclarePrivilegeCodeFixProvider)),
                diagnostic);
        }
    }

    private static Privileges Merge(Privileges? declared, Privileges required)
    {
        var capabilities = new List<int>(declared?.Capabilities ?? ImmutableArray<int>.Empty);
        foreach (var capability in required.Capabilities)
        {
            if (!capabilities.Contains(capability))
            {
                capabilities.Add(capability);
            }
        }

        var mode = declared?.PtraceMode ?? 0;
        if (required.PtraceMode != 0 && !capabilities.Contains(UndeclaredPrivilegeAnalyzer.CapSysPtrace)
            && !UndeclaredPrivilegeAnalyzer.Covers(mode, required.PtraceMode))
        {
            mode |= required.PtraceMode;
        }

        return new Privileges(mode, capabilities.ToImmutableArray());
    }

    /// <summary>The attribute's arguments, fully qualified (the simplifier shortens them where a using allows).</summary>
    private static List<string> Arguments(Compilation compilation, Privileges privileges)
    {
        var arguments = privileges.Capabilities.Select(c => EnumText(compilation, "ApiLab.Spec.Capability", c)).ToList();
        if (privileges.PtraceMode != 0)
        {
            arguments.Add("Ptrace = " + EnumText(compilation, "ApiLab.Spec.PtraceMode", privileges.PtraceMode));
        }

        return arguments;
    }

    /// <summary>The enum member with this value (the last declared, so PtraceMode.ReadFsCreds over Read | FsCreds), else
    /// the single-bit members it combines.</summary>
    private static string EnumText(Compilation compilation, string metadataName, int value)
    {
        var fields = new List<(string Name, int Value)>();
        foreach (var member in compilation.GetTypeByMetadataName(metadataName)?.GetMembers() ?? ImmutableArray<ISymbol>.Empty)
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: int constant } field)
            {
                fields.Add((field.Name, constant));
            }
        }

        var exact = fields.LastOrDefault(f => f.Value == value);
        if (exact.Name is not null)
        {
            return metadataName + "." + exact.Name;
        }

        var parts = fields.Where(f => f.Value != 0 && (f.Value & (f.Value - 1)) == 0 && (value & f.Value) != 0).Select(f => metadataName + "." + f.Name).ToList();
        return parts.Count > 0
            ? string.Join(" | ", parts)
            : "(" + metadataName + ")" + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<Document> ApplyAsync(
        Document document,
        SemanticModel model,
        BaseMethodDeclarationSyntax method,
        INamedTypeSymbol runsWith,
        List<string> arguments,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var attribute = SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("ApiLab.Spec.RunsWith"),
                arguments.Count == 0 ? null : SyntaxFactory.ParseAttributeArgumentList("(" + string.Join(", ", arguments) + ")"))
            .WithAdditionalAnnotations(Simplifier.Annotation);

        // Replace the method's own [RunsWith] if it has one.
        foreach (var list in method.AttributeLists)
        {
            foreach (var existing in list.Attributes)
            {
                if (model.GetSymbolInfo(existing, cancellationToken).Symbol is IMethodSymbol constructor
                    && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, runsWith))
                {
                    return document.WithSyntaxRoot(root.ReplaceNode(existing, attribute.WithTriviaFrom(existing)));
                }
            }
        }

        var leading = method.GetLeadingTrivia();
        var indentation = leading.LastOrDefault();
        var newLine = method.GetTrailingTrivia().Concat(method.DescendantTrivia()).FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.LineFeed);
        var stripped = method.WithLeadingTrivia(indentation.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(indentation) : SyntaxFactory.TriviaList());
        var updated = stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, newList));
        return document.WithSyntaxRoot(root.ReplaceNode(method, updated));
    }
}
