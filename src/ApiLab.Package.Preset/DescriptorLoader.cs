using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Package.Preset;

/// <summary>Finds every <c>[DiagnosticAnalyzer]</c> in the given assemblies, so a new rule or a new analyzer assembly
/// (the code fixes, a future one) needs no change here.</summary>
public static class DescriptorLoader
{
    public static IReadOnlyList<DiagnosticDescriptor> FromAssemblyFiles(IEnumerable<string> paths) =>
        FromAssemblies(paths.Select(static p => Assembly.LoadFrom(Path.GetFullPath(p))));

    public static IReadOnlyList<DiagnosticDescriptor> FromAssemblies(IEnumerable<Assembly> assemblies) =>
        [.. assemblies
            .SelectMany(LoadableTypes)
            .Where(static t => t is { IsAbstract: false } && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } a && a.Languages.Contains(LanguageNames.CSharp))
            .SelectMany(static t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)];

    /// <summary>The types that load: a code-fix assembly's fixers need Workspaces, which a build does not carry; its
    /// analyzers (if any) still load.</summary>
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
