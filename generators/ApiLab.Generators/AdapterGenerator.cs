using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ApiLab.Generators;

/// <summary>
/// Emits, for every <c>[Proposal]</c> partial interface, an adapter onto the engine and a descriptor. A malformed
/// spec yields nothing: the generator never reports diagnostics (the analyzer explains instead) and never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class AdapterGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                WellKnownTypeNames.ProposalAttributeMetadataName,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (syntaxContext, ct) => Parser.Parse(syntaxContext.TargetSymbol, ct))
            .WithTrackingName(TrackingNames.SpecModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidSpecs);

        context.RegisterSourceOutput(specs, static (output, spec) =>
        {
            output.AddSource($"{spec.HintStem}.Adapter.g.cs", SourceText.From(Emitter.EmitAdapter(spec), Encoding.UTF8));
            output.AddSource($"{spec.HintStem}.Descriptor.g.cs", SourceText.From(Emitter.EmitDescriptor(spec), Encoding.UTF8));
        });
    }
}
