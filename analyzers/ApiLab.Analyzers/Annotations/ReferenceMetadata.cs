using System;
using System.Collections.Generic;
using System.Reflection.Metadata;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The names of a compiled reference's methods that may be spec members, read from its metadata tables rather than
/// from symbols: making the symbols of every method of a reference and decoding each one's attributes cost a cold
/// build more than a tenth of a second, for the proposals assembly alone. A method may be a spec member when it or
/// one of its parameters carries an attribute of the spec's namespace, or its type carries <c>[Proposal]</c>; one that
/// only implements or overrides a spec member shares the name of one found that way where it is declared. Over-reports
/// (an attribute that declares nothing still counts), which costs only a body's operation tree.
/// </summary>
internal static class ReferenceMetadata
{
    private const string Proposal = "ProposalAttribute";

    /// <summary>Adds the candidate names; false when the reference has no metadata to read (a project reference in
    /// the IDE, whose source the caller reads instead).</summary>
    public static bool TryAddCandidateNames(MetadataReference reference, ISet<string> names) =>
        TryRead(reference, reader => AddCandidateNames(reader, names));

    /// <summary>
    /// The metadata names of the <c>[Proposal]</c> types a compiled reference declares, read from its tables (making the
    /// symbol of each of its types and decoding its attributes cost a cold build some 80 ms for the proposals assembly);
    /// null when it has no metadata to read.
    /// </summary>
    public static List<string>? ProposalTypeNames(MetadataReference reference)
    {
        var names = new List<string>();
        return TryRead(reference, reader =>
        {
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (SpecAttributeOf(reader, type.GetCustomAttributes(), Proposal))
                {
                    names.Add(MetadataName(reader, type));
                }
            }
        })
            ? names
            : null;
    }

    /// <summary>Runs <paramref name="read"/> on each module of a compiled reference; false when there is none to read.</summary>
    private static bool TryRead(MetadataReference reference, Action<MetadataReader> read)
    {
        if (reference is not PortableExecutableReference portable)
        {
            return false;
        }

        try
        {
            if (portable.GetMetadata() is not AssemblyMetadata metadata)
            {
                return false;
            }

            foreach (var module in metadata.GetModules())
            {
                read(module.GetMetadataReader());
            }

            return true;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or System.IO.IOException)
        {
            return false;
        }
    }

    /// <summary>The name <see cref="IAssemblySymbol.GetTypeByMetadataName"/> takes: <c>Ns.Outer+Inner`1</c>.</summary>
    private static string MetadataName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return MetadataName(reader, reader.GetTypeDefinition(declaring)) + "+" + name;
        }

        var @namespace = reader.GetString(type.Namespace);
        return @namespace.Length == 0 ? name : @namespace + "." + name;
    }

    private static void AddCandidateNames(MetadataReader reader, ISet<string> names)
    {
        if (!ReferencesSpecAttribute(reader))
        {
            return;
        }

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var proposal = SpecAttributeOf(reader, type.GetCustomAttributes(), Proposal);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (proposal || SpecAttributeOf(reader, method.GetCustomAttributes(), null) || AnyParameterHasSpecAttribute(reader, method))
                {
                    names.Add(reader.GetString(method.Name));
                }
            }
        }
    }

    /// <summary>A module applies a spec attribute only if it references one (or declares the annotations itself).</summary>
    private static bool ReferencesSpecAttribute(MetadataReader reader)
    {
        foreach (var handle in reader.TypeReferences)
        {
            var type = reader.GetTypeReference(handle);
            if (IsSpecAttribute(reader, type.Namespace, type.Name, null))
            {
                return true;
            }
        }

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (IsSpecAttribute(reader, type.Namespace, type.Name, null))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyParameterHasSpecAttribute(MetadataReader reader, MethodDefinition method)
    {
        foreach (var handle in method.GetParameters())
        {
            if (SpecAttributeOf(reader, reader.GetParameter(handle).GetCustomAttributes(), null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one of the attributes is a spec attribute (the one named <paramref name="name"/>, if given).</summary>
    private static bool SpecAttributeOf(MetadataReader reader, CustomAttributeHandleCollection attributes, string? name)
    {
        foreach (var handle in attributes)
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            var matches = constructor.Kind switch
            {
                HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)constructor).Parent is var parent
                    && parent.Kind == HandleKind.TypeReference
                    && reader.GetTypeReference((TypeReferenceHandle)parent) is var reference
                    && IsSpecAttribute(reader, reference.Namespace, reference.Name, name),
                HandleKind.MethodDefinition => reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()) is var definition
                    && IsSpecAttribute(reader, definition.Namespace, definition.Name, name),
                _ => false,
            };

            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSpecAttribute(MetadataReader reader, StringHandle @namespace, StringHandle typeName, string? name) =>
        reader.StringComparer.Equals(@namespace, WellKnownTypeNames.SpecNamespace)
        && (name is null ? reader.GetString(typeName).EndsWith("Attribute", StringComparison.Ordinal) : reader.StringComparer.Equals(typeName, name));
}
