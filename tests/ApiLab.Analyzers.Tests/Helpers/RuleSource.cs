namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>Wraps statements in a caller class that receives the <see cref="TestSpecs"/> interfaces.</summary>
internal static class RuleSource
{
    public const string Parameters =
        "IMainlineMadvise m, IPidMadvise p, ISignals s, IRemoteZap z, IMemory mem, Pid pid, Pidfd fd, Uffd uffd, IoVec[] ranges, IoVec range";

    public static string Body(string statements, string attributes = "", string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using ApiLab.Spec;

        namespace Demo;

        public class Caller
        {
        {{members}}
            {{attributes}}
            public void Run({{Parameters}})
            {
        {{statements}}
            }
        }
        """;
}
