using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using ApiLab.Generators.Helpers;
using ApiLab.Generators.Models;
using ApiLab.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ApiLab.Generators;

public sealed partial class AdapterGenerator
{
    /// <summary>Symbols to model: the only generator code that touches <see cref="ISymbol"/>.</summary>
    internal static class Parser
    {
        private static readonly SymbolDisplayFormat QualifiedFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
                SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat ShortTypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

        private static readonly SymbolDisplayFormat SignatureFormat = new(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
                | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
                | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The model of a valid spec, or null when it is malformed (the analyzer says why).</summary>
        public static SpecModel? Parse(ISymbol symbol, CancellationToken ct)
        {
            if (symbol is not INamedTypeSymbol spec
                || spec.GetAttributes().Count(static a => SpecValidator.Is(a.AttributeClass, SpecTypeNames.ProposalAttribute)) != 1
                || !SpecValidator.Validate(spec, ct).IsEmpty)
            {
                return null;
            }

            ct.ThrowIfCancellationRequested();
            var calls = new List<CallModel>();
            foreach (var member in SpecValidator.SpecMembers(spec))
            {
                ct.ThrowIfCancellationRequested();
                var call = ParseCall((IMethodSymbol)member, ct);
                if (call is null)
                {
                    return null;
                }

                calls.Add(call);
            }

            var name = spec.Name;
            var stem = name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]) ? name.Substring(1) : name;
            return new SpecModel(
                Namespace: spec.ContainingNamespace.IsGlobalNamespace ? "" : spec.ContainingNamespace.ToDisplayString(),
                InterfaceName: name,
                InterfaceType: spec.ToDisplayString(QualifiedFormat),
                Accessibility: spec.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                AdapterName: stem + "Adapter",
                DescriptorName: stem + "Descriptor",
                Proposal: ParseProposal(spec, ct),
                Calls: calls.ToEquatableArray());
        }

        private static ProposalModel ParseProposal(INamedTypeSymbol spec, CancellationToken ct)
        {
            var proposal = SpecValidator.FindAttribute(spec, SpecTypeNames.ProposalAttribute)!;
            var design = (string)proposal.ConstructorArguments[1].Value!;
            return new ProposalModel(
                Debate: (string)proposal.ConstructorArguments[0].Value!,
                Design: design,
                Title: NamedString(proposal, "Title") ?? design,
                Seed: NamedString(proposal, "Seed") ?? "",
                Author: NamedString(proposal, "Author") ?? "",
                Date: NamedString(proposal, "Date") ?? "",
                // The default mirrors ProposalAttribute.Outcome's initializer.
                Outcome: Named(proposal, "Outcome") is { Kind: TypedConstantKind.Enum } outcome
                    ? ToEnumValue(outcome)
                    : EnumValue.Default(WellKnownTypeNames.Outcome, "NeverMerged", 2),
                MergedIn: NamedString(proposal, "MergedIn"),
                Summary: Summary(spec, ct));
        }

        private static CallModel? ParseCall(IMethodSymbol method, CancellationToken ct)
        {
            if (ContainsErrorType(method.ReturnType) || method.Parameters.Any(static p => ContainsErrorType(p.Type)))
            {
                return null; // The compiler already reports these; generating against them only adds noise.
            }

            var target = SpecValidator.FindAttribute(method, SpecTypeNames.TargetAttribute)!;
            var kind = target.ConstructorArguments[0];
            var kindName = SpecValidator.EnumMemberName(kind);
            var targetParameter = SpecValidator.TargetParameter(method, kindName);

            var requires = SpecValidator.FindAttribute(method, SpecTypeNames.RequiresAttribute);
            var mode = requires is { ConstructorArguments.Length: > 0 } && requires.ConstructorArguments[0].Kind == TypedConstantKind.Enum
                ? ToEnumValue(requires.ConstructorArguments[0])
                : EnumValue.Default(WellKnownTypeNames.PtraceMode, "None", 0);
            var capabilities = requires is { ConstructorArguments.Length: 2 }
                && requires.ConstructorArguments[1] is { Kind: TypedConstantKind.Array, IsNull: false }
                ? requires.ConstructorArguments[1].Values.Select(ToEnumValue).ToEquatableArray()
                : EquatableArray<EnumValue>.Empty;
            var denied = requires is not null && Named(requires, "DeniedErrno") is { Kind: TypedConstantKind.Enum } errno
                ? ToEnumValue(errno)
                : EnumValue.Default(WellKnownTypeNames.Errno, "EACCES", 13);

            var vectored = SpecValidator.FindAttribute(method, SpecTypeNames.VectoredAttribute);
            var ioVec = vectored is null ? null : SpecValidator.IoVecParameter(method);
            var snapshot = SpecValidator.FindAttribute(method, SpecTypeNames.SnapshotAttribute);
            var revalidatedBy = snapshot is null ? null : Named(snapshot, "RevalidatedBy")?.Value as ITypeSymbol;
            var allocates = SpecValidator.FindAttribute(method, SpecTypeNames.AllocatesAttribute);

            return new CallModel(
                Name: method.Name,
                Identifier: Identifier(method.Name),
                Syscall: (string)SpecValidator.FindAttribute(method, SpecTypeNames.SyscallAttribute)!.ConstructorArguments[0].Value!,
                ReturnType: method.ReturnType.ToDisplayString(QualifiedFormat),
                Signature: method.ToDisplayString(SignatureFormat),
                Parameters: method.Parameters.Select(ParseParameter).ToEquatableArray(),
                Target: ToEnumValue(kind),
                TargetSource: kindName switch { "Pid" => TargetSource.Pid, "Pidfd" => TargetSource.Pidfd, _ => TargetSource.Caller },
                TargetParameter: targetParameter?.Ordinal ?? -1,
                Mode: mode,
                ChecksPtrace: mode.Value != "0",
                Capabilities: capabilities,
                DeniedErrno: denied,
                DeniedRemapped: denied.Member != "EACCES",
                Effect: SpecValidator.HasAttribute(method, SpecTypeNames.HintAttribute) ? "Hint"
                    : SpecValidator.HasAttribute(method, SpecTypeNames.TargetVisibleAttribute) ? "TargetVisible"
                    : "Unspecified",
                Vectored: vectored is not null,
                IoVecParameter: ioVec?.Ordinal ?? -1,
                IoVecIsArray: ioVec is not null && SpecValidator.IsIoVecArray(ioVec.Type),
                // VectoredAttribute's constructor defaults to OncePerCall; default(TlbFlush) is the same member.
                Flush: vectored is { ConstructorArguments.Length: 1 } && vectored.ConstructorArguments[0].Kind == TypedConstantKind.Enum
                    ? ToEnumValue(vectored.ConstructorArguments[0])
                    : EnumValue.Default(WellKnownTypeNames.TlbFlush, "OncePerCall", 0),
                Snapshot: snapshot is not null,
                RevalidatedBy: revalidatedBy?.ToDisplayString(ShortTypeFormat),
                TakesRevalidatingHandle: method.Parameters.Any(static p => SpecValidator.HasAttribute(p, SpecTypeNames.RevalidatesAttribute)),
                PartialResult: SpecValidator.HasAttribute(method, SpecTypeNames.PartialResultAttribute),
                InvalidatesLayout: SpecValidator.HasAttribute(method, SpecTypeNames.InvalidatesLayoutAttribute),
                Summary: Summary(method, ct),
                Freezes: SpecValidator.HasAttribute(method, SpecTypeNames.FreezesAttribute),
                ReleasesHandle: method.Parameters.Any(static p => SpecValidator.HasAttribute(p, SpecTypeNames.ReleasesAttribute)),
                Allocates: allocates is not null,
                Guarantees: Guarantees(allocates),
                ChecksArgumentsFirst: SpecValidator.HasAttribute(method, SpecTypeNames.ChecksArgumentsFirstAttribute));
        }

        private static ParameterModel ParseParameter(IParameterSymbol parameter) => new(
            Name: Identifier(parameter.Name),
            Type: parameter.Type.ToDisplayString(QualifiedFormat),
            IsParams: parameter.IsParams,
            DefaultValue: parameter.HasExplicitDefaultValue ? DefaultValue(parameter.Type, parameter.ExplicitDefaultValue) : null,
            MustBeZero: SpecValidator.HasAttribute(parameter, SpecTypeNames.MustBeZeroAttribute));

        /// <summary>The guarantees an [Allocates] sets to true, as MemoryGuarantees member names in flag order.</summary>
        private static string Guarantees(AttributeData? allocates)
        {
            if (allocates is null)
            {
                return "None";
            }

            var set = new List<string>();
            foreach (var name in new[] { "ExcludedFromDump", "HiddenFromChild", "NeverSwapped", "MayVanish" })
            {
                if (Named(allocates, name) is { Value: true })
                {
                    set.Add(name);
                }
            }

            return set.Count == 0 ? "None" : string.Join(" | ", set);
        }

        private static TypedConstant? Named(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        private static string? NamedString(AttributeData attribute, string name) => Named(attribute, name)?.Value as string;

        private static EnumValue ToEnumValue(TypedConstant constant) => new(
            constant.Type?.ToDisplayString(QualifiedFormat) ?? "int",
            SpecValidator.EnumMemberName(constant) is { } member ? Identifier(member) : null,
            Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? "0");

        private static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>A parameter's default value as a C# expression that means the same in any file.</summary>
        private static string DefaultValue(ITypeSymbol type, object? value)
        {
            if (value is null)
            {
                return "default";
            }

            var enumType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : type;
            if (enumType.TypeKind == TypeKind.Enum)
            {
                var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                var qualified = enumType.ToDisplayString(QualifiedFormat);
                return member is not null
                    ? $"{qualified}.{Identifier(member.Name)}"
                    : $"({qualified})({Convert.ToString(value, CultureInfo.InvariantCulture)})";
            }

            return value switch
            {
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
                    : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
                    : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                // Integers: a constant converts implicitly to the parameter's integer type.
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
            };
        }

        private static bool ContainsErrorType(ITypeSymbol type) => type switch
        {
            IErrorTypeSymbol => true,
            IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
            _ => false,
        };

        /// <summary>
        /// The XML doc <c>&lt;summary&gt;</c> as one line of plain text; "" when there is none. Read from the
        /// declaration's <c>///</c> lines, not from <c>GetDocumentationCommentXml</c>, which binds every <c>cref</c>
        /// (most of a cold generator run): the summary only needs each reference's last name, which the raw
        /// <c>cref</c> text has.
        /// </summary>
        private static string Summary(ISymbol symbol, CancellationToken ct)
        {
            string? xml = null;
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (DocCommentText(reference.GetSyntax(ct)) is { } text)
                {
                    xml = "<doc>" + text + "</doc>";
                    break;
                }
            }

            if (xml is null)
            {
                return "";
            }

            try
            {
                var summary = XDocument.Parse(xml).Descendants("summary").FirstOrDefault();
                if (summary is null)
                {
                    return "";
                }

                var text = new StringBuilder();
                AppendText(summary, text);
                return string.Join(" ", text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            }
            catch (XmlException)
            {
                return ""; // Malformed docs are the compiler's to report (CS1570); the summary is then just empty.
            }
        }

        /// <summary>The text of the <c>///</c> lines before a declaration (their markers stripped), or null.</summary>
        private static string? DocCommentText(SyntaxNode declaration)
        {
            StringBuilder? text = null;
            foreach (var trivia in declaration.GetLeadingTrivia())
            {
                foreach (var line in trivia.ToFullString().Split('\n'))
                {
                    var trimmed = line.TrimStart();
                    if (trimmed.StartsWith("///", StringComparison.Ordinal))
                    {
                        (text ??= new StringBuilder()).Append(trimmed.Substring(3)).Append('\n');
                    }
                }
            }

            return text?.ToString();
        }

        private static void AppendText(XElement element, StringBuilder text)
        {
            foreach (var node in element.Nodes())
            {
                switch (node)
                {
                    case XText t:
                        text.Append(t.Value);
                        break;
                    case XElement e when !e.HasElements && e.Value.Length == 0:
                        text.Append(ReferenceText(e));
                        break;
                    case XElement e:
                        AppendText(e, text);
                        break;
                }
            }
        }

        /// <summary>The text an empty reference element stands for: <c>&lt;see cref="T:A.B"/&gt;</c> is "B",
        /// <c>&lt;paramref name="x"/&gt;</c> is "x".</summary>
        private static string ReferenceText(XElement element)
        {
            var value = (string?)element.Attribute("cref");
            if (value is null)
            {
                return (string?)element.Attribute("langword") ?? (string?)element.Attribute("name")
                    ?? (string?)element.Attribute("href") ?? "";
            }

            if (value.Length > 2 && value[1] == ':')
            {
                value = value.Substring(2);
            }

            var parameters = value.IndexOf('(');
            if (parameters >= 0)
            {
                value = value.Substring(0, parameters);
            }

            // A raw cref names a generic as Name{T}; a documentation id as Name`1.
            var generic = value.IndexOf('{');
            if (generic >= 0)
            {
                value = value.Substring(0, generic);
            }

            value = value.Substring(value.LastIndexOf('.') + 1);
            var arity = value.IndexOf('`');
            return arity >= 0 ? value.Substring(0, arity) : value;
        }
    }
}
