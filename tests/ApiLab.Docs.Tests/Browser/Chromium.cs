using System.Diagnostics;

namespace ApiLab.Docs.Tests.Browser;

/// <summary>
/// Debian's headless Chromium, installed by the test itself when missing (the README's test command does all set-up):
/// apt-get as root, once per test run. Flags as this machine needs them: no sandbox as root, no background
/// networking (the network is closed, and Chromium would otherwise retry Google's hosts).
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly Lazy<string?> Installed = new(Install);

    /// <summary>The browser's path, or why there is none (the test then reports itself skipped, with the reason).</summary>
    public static (string? Path, string Reason) Find()
    {
        var path = Installed.Value;
        return path is not null ? (path, "") : (null, InstallFailure);
    }

    private static string InstallFailure { get; set; } = "";

    /// <summary>Loads <paramref name="url"/> headless; returns the DOM after load and the console lines it logged.</summary>
    public static (string Dom, IReadOnlyList<string> Console) Load(string browser, string url, string profile, string? screenshot = null)
    {
        var args = new List<string>
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,1800",
        };
        args.Add(screenshot is null ? "--dump-dom" : $"--screenshot={screenshot}");
        args.Add(url);
        var (output, errors) = Run(browser, args, TimeSpan.FromSeconds(90));
        var console = errors.Split('\n').Where(static l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        return (output, console);
    }

    private static string? Install()
    {
        if (File.Exists(Path))
        {
            return Path;
        }

        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            InstallFailure = "Chromium is not installed and this is not a Debian machine where the test may install it as root";
            return null;
        }

        Run("/usr/bin/apt-get", ["install", "-y", "-q", "chromium"], TimeSpan.FromMinutes(10));
        if (!File.Exists(Path))
        {
            Run("/usr/bin/apt-get", ["update", "-q"], TimeSpan.FromMinutes(5));
            Run("/usr/bin/apt-get", ["install", "-y", "-q", "chromium"], TimeSpan.FromMinutes(10));
        }

        InstallFailure = File.Exists(Path) ? "" : "apt-get install chromium failed";
        return File.Exists(Path) ? Path : null;
    }

    private static (string Output, string Errors) Run(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeout}");
        }

        return (output.Result, errors.Result);
    }
}
