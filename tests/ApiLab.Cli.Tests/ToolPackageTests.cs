using System.Diagnostics;

namespace ApiLab.Cli.Tests;

/// <summary>`apilab` installs as a dotnet tool, the way a user would: packed to a folder, installed into a tool path.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public void The_tool_package_installs_into_a_tool_path_and_lists_the_debates()
    {
        var root = CliTests.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("apilab-tool-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var tools = Path.Combine(work.FullName, "tools");
            // The test project already built the CLI (Debug); packing that build keeps the test from rebuilding.
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            Dotnet(root, "pack", Path.Combine(root, "src", "ApiLab.Cli"), "-c", configuration, "--no-build", "-o", feed);
            Assert.Single(Directory.GetFiles(feed, "ApiLab.Tool.*.nupkg"));
            Dotnet(work.FullName, "tool", "install", "ApiLab.Tool", "--tool-path", tools, "--add-source", feed);

            var apilab = new ProcessStartInfo(Path.Combine(tools, "apilab"), "list") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(apilab)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("remote-madvise:", output, StringComparison.Ordinal);
            Assert.Contains("design   mainline", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Dotnet(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{output.Result}\n{error.Result}");
    }
}
