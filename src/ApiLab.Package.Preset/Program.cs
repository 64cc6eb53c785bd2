using ApiLab.Package.Preset;

// apilab-preset OUTPUT ANALYZER.dll... : writes the preset for every rule the given analyzer assemblies declare.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ApiLab.Package.Preset <output.editorconfig> <analyzer.dll>...");
    return 2;
}

var descriptors = DescriptorLoader.FromAssemblyFiles(args.Skip(1));
if (descriptors.Count == 0)
{
    Console.Error.WriteLine("no analyzer descriptors found in: " + string.Join(", ", args.Skip(1)));
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[0]))!);
File.WriteAllText(args[0], EditorConfigPreset.Render(descriptors));
Console.WriteLine($"{args[0]}: {descriptors.Select(static d => d.Id).Distinct(StringComparer.Ordinal).Count()} rules");
return 0;
