using System.Globalization;
using System.Reflection;
using System.Text;
using ApiLab.Spec;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// Writes a client project of at least the asked number of lines that uses every real spec the way the lab's drivers
/// do: each method calls the spec's members in order, passes handles and fds from earlier results, and passes ranges
/// either derived from a snapshot (what APILAB1001 tracks) or from configuration, in straight-line code, loops with
/// early exits, and local functions. API calls dominate, so the measured overhead is near the worst case.
/// </summary>
internal static class ClientGenerator
{
    private const int MethodsPerFile = 40;

    /// <param name="specs">The specs whose members the client calls.</param>
    /// <param name="minimumLines">The client's size.</param>
    /// <param name="apiShare">The fraction of methods that call the specs (1: every method, the worst case); the
    /// others are ordinary code (loops over arrays and strings) such as the rest of a client has.</param>
    public static IReadOnlyList<(string Path, string Text)> Generate(IReadOnlyList<SpecShape> specs, int minimumLines, double apiShare)
    {
        var files = new List<(string, string)> { ("Client/Derive.cs", Helpers) };
        var apiMethods = 0;
        var lines = Lines(Helpers);
        for (var file = 0; lines < minimumLines; file++)
        {
            var text = new StringBuilder();
            text.Append("namespace Client;\n\n");
            text.Append(CultureInfo.InvariantCulture, $"public static class Reclaim{file}\n{{\n");
            for (var m = 0; m < MethodsPerFile; m++)
            {
                var index = (file * MethodsPerFile) + m;
                if (Math.Floor((index + 1) * apiShare) > Math.Floor(index * apiShare))
                {
                    WriteMethod(text, specs[apiMethods % specs.Count], index, fromSnapshot: apiMethods++ % 2 == 0);
                }
                else
                {
                    WritePlainMethod(text, index);
                }
            }

            text.Append("}\n");
            var source = text.ToString();
            files.Add(($"Client/Reclaim{file}.cs", source));
            lines += Lines(source);
        }

        return files;
    }

    public static int Lines(string text) => text.Count(static c => c == '\n');

    private static void WriteMethod(StringBuilder text, SpecShape spec, int index, bool fromSnapshot)
    {
        var variant = index % 3;
        text.Append(CultureInfo.InvariantCulture,
            $"    public static long Run{index}({SpecShapes.CSharp(spec.Interface)} api, global::ApiLab.Spec.Pid pid, global::ApiLab.Spec.Pidfd pidfd, int fd, global::ApiLab.Spec.IoVec[] configured, int rounds)\n    {{\n");
        text.Append("        long total = 0;\n");
        var indent = "        ";
        if (variant == 1)
        {
            text.Append("        for (var round = 0; round < rounds; round++)\n        {\n");
            indent = "            ";
        }
        else if (variant == 2)
        {
            text.Append("        return Body();\n\n        long Body()\n        {\n");
            indent = "            ";
        }

        var results = new List<(string Local, Type? Value)>();
        foreach (var member in spec.Members)
        {
            var local = $"r{results.Count}";
            var arguments = string.Join(", ", member.GetParameters().Select(p => Argument(p, results, fromSnapshot)));
            text.Append(CultureInfo.InvariantCulture, $"{indent}var {local} = api.{member.Name}({arguments});\n");
            var value = SpecShapes.ResultValue(member.ReturnType);
            if (value is not null)
            {
                text.Append(indent).Append("if (!").Append(local).Append(variant == 1 ? ".IsOk) continue;\n" : ".IsOk) return total;\n");
                if (value == typeof(long) || value == typeof(int))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{indent}total += {local}.Value;\n");
                }
            }

            results.Add((local, value));
        }

        if (variant == 1)
        {
            text.Append("        }\n");
        }

        text.Append(variant == 2 ? "            return total;\n        }\n    }\n\n" : "        return total;\n    }\n\n");
    }

    private static void WritePlainMethod(StringBuilder text, int index) => text.Append(CultureInfo.InvariantCulture, $$"""
            public static int Plain{{index}}(int[] values, string text)
            {
                var sum = {{index % 17}};
                foreach (var value in values)
                {
                    if (value % 3 == 0)
                        sum += value;
                    else
                        sum -= value / 2;
                }

                var parts = text.Split(',');
                for (var i = 0; i < parts.Length; i++)
                {
                    if (parts[i].Length > sum % 7)
                        sum += parts[i].Trim().Length;
                }

                return sum + parts.Length;
            }


        """);

    /// <summary>An argument a client would pass: ranges from a snapshot or configuration for [TargetRange]; a handle
    /// or fd from an earlier result when one has that type (or holds it); else the method's own parameters.</summary>
    private static string Argument(ParameterInfo parameter, List<(string Local, Type? Value)> results, bool fromSnapshot)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef)
        {
            return parameter.IsOut ? "out _" : $"ref global::Client.Derive.Slot<{SpecShapes.CSharp(type)}>()";
        }

        if (parameter.GetCustomAttribute<TargetRangeAttribute>() is not null)
        {
            var snapshot = results.LastOrDefault(static r => r.Value is not null);
            // A range is an IoVec[], one IoVec, or a bare start address (ulong, e.g. ProcMemSplice's remoteAddress).
            var single = type == typeof(IoVec);
            var address = type == typeof(ulong);
            if (fromSnapshot && snapshot.Local is not null)
            {
                return single ? $"global::Client.Derive.Range({snapshot.Local})"
                    : address ? $"global::Client.Derive.Range({snapshot.Local}).Base"
                    : $"global::Client.Derive.Ranges({snapshot.Local})";
            }

            return single ? "configured[0]" : address ? "configured[0].Base" : "configured";
        }

        foreach (var (local, value) in Enumerable.Reverse(results))
        {
            if (value == type)
            {
                return $"{local}.Value";
            }

            if (value?.GetProperties().FirstOrDefault(p => p.PropertyType == type) is { } property)
            {
                return $"{local}.Value.{property.Name}";
            }
        }

        return type == typeof(Pid) ? "pid"
            : type == typeof(Pidfd) ? "pidfd"
            : type == typeof(int) ? "fd"
            : type == typeof(Advice) ? "global::ApiLab.Spec.Advice.PageOut"
            : type == typeof(string) ? "\"\""
            : $"default({SpecShapes.CSharp(type)})";
    }

    private const string Helpers = """
        namespace Client;

        /// <summary>Ordinary helpers a client has: they turn a result into ranges (so the ranges derive from it).</summary>
        public static class Derive
        {
            public static global::ApiLab.Spec.IoVec[] Ranges<T>(global::ApiLab.Spec.SysResult<T> result) =>
                result.IsOk ? [new global::ApiLab.Spec.IoVec((ulong)result.Value!.GetHashCode() & ~4095UL, 4096)] : [];

            public static global::ApiLab.Spec.IoVec Range<T>(global::ApiLab.Spec.SysResult<T> result) =>
                new((ulong)result.GetHashCode() & ~4095UL, 4096);

            public static ref T Slot<T>() => ref Holder<T>.Value;

            private static class Holder<T>
            {
                public static T Value = default!;
            }
        }

        """;
}
