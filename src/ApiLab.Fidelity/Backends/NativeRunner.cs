using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace ApiLab.Fidelity.Backends;

/// <summary>
/// Builds the host runner from its embedded C source with the machine's gcc (no prebuilt binary), once per source
/// version, into a cache folder. Returns null with the reason when the host cannot (not Linux, no gcc).
/// </summary>
public static class NativeRunner
{
    private static readonly Lock Gate = new();

    public static string? Build(out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "the host backend needs Linux";
            return null;
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ApiLab.Fidelity.tracerun.c")!;
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "apilab-native");
        var binary = Path.Combine(dir, $"tracerun-{hash}");
        lock (Gate)
        {
            if (File.Exists(binary))
            {
                reason = "";
                return binary;
            }

            Directory.CreateDirectory(dir);
            var sourcePath = binary + ".c";
            var temporary = binary + $".{Environment.ProcessId}.tmp";
            File.WriteAllText(sourcePath, source);
            try
            {
                using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-Wall", "-o", temporary, sourcePath])
                {
                    RedirectStandardError = true,
                })!;
                var error = gcc.StandardError.ReadToEnd();
                gcc.WaitForExit();
                if (gcc.ExitCode != 0)
                {
                    reason = $"gcc failed: {error.Trim()}";
                    return null;
                }

                // Rename into place so a concurrent test process never runs a half-written binary.
                File.Move(temporary, binary, overwrite: true);
                reason = "";
                return binary;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                reason = "no gcc on this machine";
                return null;
            }
        }
    }
}
