using System.Globalization;
using ApiLab.Lab.Comparison;

namespace ApiLab.Docs.Charts;

/// <summary>
/// The geometry of one scaling chart (a counter against workload size, one line per design), computed here so the
/// SVG template only places what it is given. x: sizes evenly spaced (they grow geometrically, so this is a log
/// axis); y: linear from 0 to a round maximum.
/// </summary>
public sealed record LineChart(
    string Id,
    string Title,
    string XLabel,
    IReadOnlyList<ChartTick> XTicks,
    IReadOnlyList<ChartTick> YTicks,
    IReadOnlyList<ChartLine> Lines)
{
    public const int Width = 640;
    public const int Height = 320;
    public const int Left = 70;
    public const int Right = 170;
    public const int Top = 30;
    public const int Bottom = 50;

    /// <summary>Colours that stay distinct for up to eight designs (Okabe–Ito).</summary>
    private static readonly string[] Palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"];

    public static LineChart From(ScalingSeries series, string sizeLabel)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = series.Lines.SelectMany(static l => l.Values).DefaultIfEmpty(0).Max();
        var top = NiceCeiling(Math.Max(1, max));
        double X(int i) => series.Sizes.Count == 1 ? Left + (plotWidth / 2.0) : Left + (plotWidth * i / (double)(series.Sizes.Count - 1));
        double Y(long v) => Top + plotHeight - (plotHeight * v / (double)top);
        var xTicks = series.Sizes.Select((s, i) => new ChartTick(Fmt(X(i)), s.ToString(CultureInfo.InvariantCulture))).ToList();
        var yTicks = Enumerable.Range(0, 5).Select(k => top * k / 4)
            .Select(v => new ChartTick(Fmt(Y(v)), v.ToString("N0", CultureInfo.InvariantCulture))).ToList();
        var lines = series.Lines.Select((line, n) => new ChartLine(
            line.Design,
            Palette[n % Palette.Length],
            string.Join(" ", line.Values.Select((v, i) => $"{Fmt(X(i))},{Fmt(Y(v))}")),
            Fmt(Top + 10 + (n * 18)),
            [.. line.Values.Select((v, i) => new ChartPoint(Fmt(X(i)), Fmt(Y(v)), v.ToString(CultureInfo.InvariantCulture)))])).ToList();
        return new LineChart($"{series.ScenarioId}-{series.Counter.Key}", series.Counter.Label, sizeLabel, xTicks, yTicks, lines);
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    private static long NiceCeiling(long value)
    {
        long power = 1;
        while (power * 10 <= value)
        {
            power *= 10;
        }

        foreach (var m in (long[])[1, 2, 5, 10])
        {
            if (m * power >= value)
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>A tick: where (pixels along its axis) and what it says.</summary>
public sealed record ChartTick(string At, string Label);

/// <summary>One design's line: its colour, its polyline, where its legend entry sits, and its points.</summary>
public sealed record ChartLine(string Design, string Colour, string Points, string LegendY, IReadOnlyList<ChartPoint> Marks);

/// <summary>One measured point, with its value for the tooltip.</summary>
public sealed record ChartPoint(string X, string Y, string Value);
