namespace ApiLab.Engine;

/// <summary>
/// Signal numbers (x86-64) and their default actions (kernel/signal.c's sig_kernel_* masks). The engine runs no signal
/// handlers, so every signal takes its default action.
/// </summary>
public static class Signals
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigUsr1 = 10;
    public const int SigTerm = 15;
    public const int SigChld = 17;
    public const int SigCont = 18;
    public const int SigStop = 19;
    public const int SigTstp = 20;
    public const int SigTtin = 21;
    public const int SigTtou = 22;
    public const int SigUrg = 23;
    public const int SigWinch = 28;

    /// <summary>_NSIG: signals are 1-64 (32 and up are real-time).</summary>
    public const int Max = 64;

    /// <summary>valid_signal: 0 (the probe) through _NSIG.</summary>
    public static bool IsValid(int signal) => signal is >= 0 and <= Max;

    /// <summary>The default action of <paramref name="signal"/> (1-64).</summary>
    public static SignalAction DefaultAction(int signal) => signal switch
    {
        SigKill => SignalAction.Kill,
        SigStop or SigTstp or SigTtin or SigTtou => SignalAction.Stop,
        SigCont => SignalAction.Continue,
        SigChld or SigUrg or SigWinch => SignalAction.Ignore,
        _ => SignalAction.Terminate,
    };
}

/// <summary>What a signal's default action does to the process.</summary>
public enum SignalAction
{
    /// <summary>Terminate (or dump core and terminate): with no handler it is fatal at once (complete_signal turns it
    /// into a group SIGKILL), so it behaves as SIGKILL.</summary>
    Terminate,
    Kill,
    Stop,
    Continue,
    Ignore,
}
