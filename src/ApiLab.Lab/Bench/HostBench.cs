using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace ApiLab.Lab.Bench;

/// <summary>Compiles and runs the native host benchmark (gcc, from the embedded C source); null when the host cannot.</summary>
public static class HostBench
{
    public static long? RunNanoseconds(string benchmark, long argument, out string reason)
    {
        var binary = Build(out reason);
        if (binary is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(binary, [benchmark, argument.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var parts = output.Trim().Split(' ');
        if (process.ExitCode != 0 || parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var ns))
        {
            reason = $"host benchmark failed: {error.Trim()}";
            return null;
        }

        reason = "";
        return ns;
    }

    private static string? Build(out string reason)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ApiLab.Lab.Bench.hostbench.c")!;
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "apilab-native");
        Directory.CreateDirectory(dir);
        var binary = Path.Combine(dir, $"hostbench-{hash}");
        if (File.Exists(binary))
        {
            reason = "";
            return binary;
        }

        var sourcePath = binary + ".c";
        File.WriteAllText(sourcePath, source);
        try
        {
            using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-o", binary, sourcePath]) { RedirectStandardError = true })!;
            var error = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            reason = gcc.ExitCode == 0 ? "" : $"gcc failed: {error.Trim()}";
            return gcc.ExitCode == 0 ? binary : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            reason = "no gcc on this machine";
            return null;
        }
    }
}
