using System.Globalization;
using ApiLab.Analyzers.Bench;

// ApiLab.Analyzers.Bench [lines=50000] [iterations=5] [generator|roslyn|csc] [worst|mix]: prints the figures and
// whether each target is met (all sections, or the one named; both clients, or the one named); exits 1 when one is not.
// The analyzer targets are judged on the mix, the model of a client project; the worst case (every method drives a
// spec) is a stress case, printed with its verdict but not counted (README: "Is the client fair?").
var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var only = args.Length > 2 ? args[2] : null;
var client = args.Length > 3 ? args[3] : null;
bool Section(string name) => only is null || only == name;

var met = true;
if (Section("generator"))
{
    met &= GeneratorColdBench.Run(Math.Max(iterations * 10, 30));
    Console.WriteLine();
}

foreach (var apiShare in (double[])[1.0, 0.1])
{
    if (client is not null && client != (apiShare >= 1 ? "worst" : "mix"))
    {
        continue;
    }

    var stress = apiShare >= 1;
    if (Section("roslyn"))
    {
        var sectionMet = AnalyzerOverheadBench.Run(lines, iterations, apiShare);
        met &= stress || sectionMet;
        Console.WriteLine(stress ? "    (stress case: not counted)\n" : "");
    }

    if (Section("csc"))
    {
        var sectionMet = ReportAnalyzerBench.Run(lines, apiShare, builds: Math.Max(iterations - 1, 1));
        met &= stress || sectionMet;
        Console.WriteLine(stress ? "    (stress case: not counted)\n" : "");
    }
}

return met ? 0 : 1;
