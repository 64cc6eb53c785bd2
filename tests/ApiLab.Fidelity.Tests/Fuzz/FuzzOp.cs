namespace ApiLab.Fidelity.Tests.Fuzz;

/// <summary>
/// One abstract random operation; <see cref="RandomTrace"/> renders a list of them into trace text, interpreting the
/// numbers against the state so far (which processes exist), so every shrunk list is still a valid trace.
/// </summary>
internal readonly record struct FuzzOp(int Kind, int A, int B, int C, int D);
