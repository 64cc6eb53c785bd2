using System.Globalization;
using System.Linq;
using System.Text;
using ApiLab.Generators.Helpers;
using ApiLab.Generators.Models;
using static ApiLab.Generators.WellKnownTypeNames;

namespace ApiLab.Generators;

public sealed partial class AdapterGenerator
{
    /// <summary>Model to text: pure, no Roslyn types, so it can be driven without a compilation.</summary>
    internal static class Emitter
    {
        private const string GeneratedCode = $"[{GeneratedCodeAttribute}(\"{ToolName}\", \"{ToolVersion}\")]";

        public static string EmitAdapter(SpecModel spec)
        {
            var w = new SourceWriter();
            WriteHeader(w);
            WriteNamespace(w, spec);
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// The adapter for <see cref=\"{spec.InterfaceType}\"/> (generated). Each call enters its syscall, then");
            w.WriteLine("/// checks reserved flags, the iovec, the target, ptrace access, the design's own validation and the");
            w.WriteLine("/// capabilities, in that order (Linux's process_madvise order), and only then runs the design's");
            w.WriteLine("/// hand-written <c>*Core</c> method.");
            w.WriteLine("/// </summary>");
            w.WriteLine(GeneratedCode);
            w.WriteLine($"{spec.Accessibility} sealed partial class {spec.AdapterName} : {spec.InterfaceType}");
            w.OpenBrace();
            w.WriteLine($"private readonly {Process} _caller;");
            w.WriteLine();
            w.WriteLine("/// <summary>An adapter whose every call is made by <paramref name=\"caller\"/>.</summary>");
            w.WriteLine($"public {spec.AdapterName}({Process} caller)");
            w.OpenBrace();
            w.WriteLine($"_caller = caller ?? throw new {ArgumentNullException}(nameof(caller));");
            w.CloseBrace();
            w.WriteLine();
            w.WriteLine("/// <summary>The process every call is made by.</summary>");
            w.WriteLine($"public {Process} Caller => _caller;");
            w.WriteLine();
            w.WriteLine("/// <summary>What the spec declares.</summary>");
            w.WriteLine($"public static {ProposalDescriptor} Descriptor => {spec.DescriptorType}.Descriptor;");
            foreach (var call in spec.Calls)
            {
                w.WriteLine();
                WriteCall(w, call);
            }

            w.CloseBrace();
            return w.ToString();
        }

        public static string EmitDescriptor(SpecModel spec)
        {
            var w = new SourceWriter();
            WriteHeader(w);
            w.WriteLine($"[assembly: {ProposalDescriptorProviderAttribute}(typeof({spec.DescriptorType}))]");
            w.WriteLine();
            WriteNamespace(w, spec);
            w.WriteLine($"/// <summary>What <see cref=\"{spec.InterfaceType}\"/> declares (generated from its attributes and docs).</summary>");
            w.WriteLine(GeneratedCode);
            w.WriteLine($"{spec.Accessibility} static class {spec.DescriptorName}");
            w.OpenBrace();
            w.WriteLine("/// <summary>The spec's descriptor.</summary>");
            w.WriteLine($"public static {ProposalDescriptor} Descriptor {{ get; }} = new(");
            w.Indent();
            var p = spec.Proposal;
            w.WriteLine($"Debate: {Literal(p.Debate)},");
            w.WriteLine($"Design: {Literal(p.Design)},");
            w.WriteLine($"Title: {Literal(p.Title)},");
            w.WriteLine($"Seed: {Literal(p.Seed)},");
            w.WriteLine($"Author: {Literal(p.Author)},");
            w.WriteLine($"Date: {Literal(p.Date)},");
            w.WriteLine($"Outcome: {Render(p.Outcome)},");
            w.WriteLine($"MergedIn: {Literal(p.MergedIn)},");
            w.WriteLine($"Summary: {Literal(p.Summary)},");
            w.WriteLine($"InterfaceName: {Literal(spec.InterfaceName)},");
            w.WriteLine($"AdapterType: typeof({spec.AdapterType}),");
            w.WriteLine($"Calls: new {CallDescriptor}[]");
            w.OpenBrace();
            foreach (var call in spec.Calls)
            {
                WriteCallDescriptor(w, call);
            }

            w.CloseBrace(");");
            w.Unindent();
            w.CloseBrace();
            return w.ToString();
        }

        /// <summary>A C# string literal for <paramref name="value"/> ("null" for null), safe on one line.</summary>
        public static string Literal(string? value)
        {
            if (value is null)
            {
                return "null";
            }

            var text = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\0': text.Append("\\0"); break;
                    // Other control characters and the Unicode line breaks C# also ends a line at.
                    case < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029':
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default: text.Append(c); break;
                }
            }

            return text.Append('"').ToString();
        }

        private static void WriteHeader(SourceWriter w)
        {
            w.WriteLine("// <auto-generated/>");
            w.WriteLine("#nullable enable");
            w.WriteLine();
        }

        private static void WriteNamespace(SourceWriter w, SpecModel spec)
        {
            if (spec.Namespace.Length > 0)
            {
                w.WriteLine($"namespace {spec.Namespace};");
                w.WriteLine();
            }
        }

        private static void WriteCall(SourceWriter w, CallModel call)
        {
            var parameters = call.Parameters;
            var rest = parameters.Where((_, i) => i != call.TargetParameter).ToArray();
            var targetName = UniqueName("target", rest);
            var errorName = UniqueName("error", rest);
            var restTypes = string.Concat(rest.Select(static p => $", {p.Type} {p.Name}"));
            var restArgs = string.Concat(rest.Select(static p => $", {p.Name}"));
            var fail = $"return {Errno}.";

            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public {call.ReturnType} {call.Identifier}({string.Join(", ", parameters.Select(Declaration))})");
            w.OpenBrace();
            w.WriteLine($"using var __scope = _caller.Machine.EnterSyscall(_caller, {Literal(call.Syscall)});");
            // A stopped caller does not run: its syscall changes nothing and is issued again once it is continued.
            w.WriteLine($"if (__scope.Blocked) {fail}ERESTARTSYS;");
            foreach (var flags in parameters.Where(static p => p.MustBeZero))
            {
                w.WriteLine($"if ({flags.Name} != 0) {fail}EINVAL;");
            }

            if (call.IoVecParameter >= 0)
            {
                var iov = parameters[call.IoVecParameter].Name;
                if (call.IoVecIsArray)
                {
                    // An array can be null, which a user pointer to an iovec can be too: copy_from_user fails.
                    w.WriteLine($"if ({iov} is null) {fail}EFAULT;");
                }

                w.WriteLine($"if ({iov}.Length > {IoVec}.Max) {fail}EINVAL;");
                w.WriteLine($"foreach (var __iov in {iov}) {{ if (__iov.Length > (ulong)long.MaxValue) {fail}EINVAL; }}");
            }

            var allArgs = string.Join(", ", parameters.Select(static p => p.Name));
            var allTypes = string.Join(", ", parameters.Select(static p => $"{p.Type} {p.Name}"));
            if (call.ChecksArgumentsFirst)
            {
                // The design's own argument checks come before the target lookup (process_vm_mmap's EINVALs).
                w.WriteLine($"var __early = {Errno}.None;");
                w.WriteLine($"Precheck{call.Name}({allArgs}{(allArgs.Length > 0 ? ", " : "")}ref __early);");
                w.WriteLine($"if (__early != {Errno}.None) return __early;");
            }

            if (call.TargetSource == TargetSource.Caller)
            {
                w.WriteLine("var __target = _caller;");
            }
            else
            {
                var resolve = call.TargetSource == TargetSource.Pid ? "ResolvePid" : "ResolvePidfd";
                w.WriteLine($"var __resolved = _caller.Machine.{resolve}(_caller, {parameters[call.TargetParameter].Name});");
                w.WriteLine("if (!__resolved.IsOk) return __resolved.Error;");
                w.WriteLine("var __target = __resolved.Value;");
            }

            if (call.ChecksPtrace)
            {
                w.WriteLine($"var __access = {PtraceAccess}.MmAccess(_caller, __target, {Render(call.Mode)});");
                w.WriteLine(call.DeniedRemapped
                    ? $"if (!__access.IsOk) return __access.Error == {Errno}.EACCES ? {Render(call.DeniedErrno)} : __access.Error;"
                    : "if (!__access.IsOk) return __access.Error;");
            }

            w.WriteLine($"var __error = {Errno}.None;");
            w.WriteLine($"Validate{call.Name}(__target{restArgs}, ref __error);");
            w.WriteLine($"if (__error != {Errno}.None) return __error;");
            if (!call.Capabilities.IsEmpty)
            {
                // Capabilities are needed only to act on another mm, as process_madvise's CAP_SYS_NICE check is.
                w.WriteLine("if (!object.ReferenceEquals(__target.Mm, _caller.Mm))");
                w.OpenBrace();
                foreach (var capability in call.Capabilities)
                {
                    w.WriteLine($"if (!_caller.Credentials.Has({Render(capability)})) {fail}EPERM;");
                }

                w.CloseBrace();
                w.WriteLine();
            }

            w.WriteLine($"return {call.Name}Core(__target{restArgs});");
            w.CloseBrace();
            w.WriteLine();
            if (call.ChecksArgumentsFirst)
            {
                var allParameters = parameters.ToArray();
                w.WriteLine($"partial void Precheck{call.Name}({allTypes}{(allTypes.Length > 0 ? ", " : "")}ref {Errno} {UniqueName("error", allParameters)});");
                w.WriteLine();
            }

            w.WriteLine($"partial void Validate{call.Name}({Process} {targetName}{restTypes}, ref {Errno} {errorName});");
            w.WriteLine();
            w.WriteLine($"private partial {call.ReturnType} {call.Name}Core({Process} {targetName}{restTypes});");
        }

        private static void WriteCallDescriptor(SourceWriter w, CallModel call)
        {
            w.WriteLine("new(");
            w.Indent();
            w.WriteLine($"Method: {Literal(call.Name)},");
            w.WriteLine($"Syscall: {Literal(call.Syscall)},");
            w.WriteLine($"Signature: {Literal(call.Signature)},");
            w.WriteLine($"Target: {Render(call.Target)},");
            w.WriteLine($"Mode: {Render(call.Mode)},");
            w.WriteLine(call.Capabilities.IsEmpty
                ? $"Capabilities: {Array}.Empty<{Capability}>(),"
                : $"Capabilities: new {Capability}[] {{ {string.Join(", ", call.Capabilities.Select(Render))} }},");
            w.WriteLine($"DeniedErrno: {Render(call.DeniedErrno)},");
            w.WriteLine($"Effect: {Effect}.{call.Effect},");
            w.WriteLine($"Vectored: {Bool(call.Vectored)},");
            w.WriteLine($"Flush: {Render(call.Flush)},");
            w.WriteLine($"Snapshot: {Bool(call.Snapshot)},");
            w.WriteLine($"RevalidatedBy: {Literal(call.RevalidatedBy)},");
            w.WriteLine($"TakesRevalidatingHandle: {Bool(call.TakesRevalidatingHandle)},");
            w.WriteLine($"PartialResult: {Bool(call.PartialResult)},");
            w.WriteLine($"InvalidatesLayout: {Bool(call.InvalidatesLayout)},");
            w.WriteLine($"Summary: {Literal(call.Summary)},");
            w.WriteLine($"Freezes: {Bool(call.Freezes)},");
            w.WriteLine($"ReleasesHandle: {Bool(call.ReleasesHandle)},");
            w.WriteLine($"Allocates: {Bool(call.Allocates)},");
            w.WriteLine($"Guarantees: {Guarantees(call.Guarantees)}),");
            w.Unindent();
        }

        private static string Declaration(ParameterModel p) =>
            $"{(p.IsParams ? "params " : "")}{p.Type} {p.Name}{(p.DefaultValue is null ? "" : " = " + p.DefaultValue)}";

        /// <summary><paramref name="name"/>, or a variant no spec parameter uses, for the hooks' extra parameters.</summary>
        private static string UniqueName(string name, ParameterModel[] taken)
        {
            while (taken.Any(p => p.Name.TrimStart('@') == name))
            {
                name = "_" + name;
            }

            return name;
        }

        private static string Render(EnumValue value) =>
            value.Member is not null ? $"{value.Type}.{value.Member}" : $"(({value.Type})({value.Value}))";

        private static string Bool(bool value) => value ? "true" : "false";

        /// <summary>"A | B" as the qualified flags expression.</summary>
        private static string Guarantees(string members) =>
            string.Join(" | ", members.Split(new[] { " | " }, System.StringSplitOptions.None).Select(m => $"{MemoryGuarantees}.{m}"));
    }
}
