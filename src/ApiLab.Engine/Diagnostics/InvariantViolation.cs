namespace ApiLab.Engine;

/// <summary>The engine's own state is inconsistent: a bug in the engine, never a user error.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
