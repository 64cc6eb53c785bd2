namespace ApiLab.Engine;

/// <summary>
/// A task asleep in handle_userfault: its userfaultfd_wait_queue entry and the message it posted. It sits on the
/// context's pending list until a read(2) moves it to the read list; a wake over its address removes it from either.
/// </summary>
public sealed class UffdWaiter
{
    internal UffdWaiter(Process task, UserfaultfdFile context, UffdMessage message)
    {
        Task = task;
        Context = context;
        Message = message;
    }

    public Process Task { get; }

    public UserfaultfdFile Context { get; }

    public UffdMessage Message { get; }

    /// <summary>True once a read(2) has returned the message (the task is still asleep).</summary>
    public bool Read { get; internal set; }

    public override string ToString() => $"{Task} asleep on {Message}";
}
