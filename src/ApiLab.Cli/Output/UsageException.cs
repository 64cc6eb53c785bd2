namespace ApiLab.Cli;

/// <summary>Bad input from the user: printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
