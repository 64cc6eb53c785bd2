using Spectre.Console;

namespace ApiLab.Cli;

/// <summary>
/// A progress bar on stderr for work that takes more than a moment (explorations, big runs, docs), shown only when
/// stderr is a terminal so pipes and tests see nothing extra. The work reports one tick per unit done.
/// </summary>
internal static class Progress
{
    public static T Run<T>(TextWriter error, string label, int total, Func<Action, T> work)
    {
        if (!Terminal.IsInteractive(error) || total <= 0)
        {
            return work(static () => { });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress().AutoClear(true).HideCompleted(true).Start(context =>
        {
            var task = context.AddTask(Markup.Escape(label), maxValue: total);
            return work(() => task.Increment(1));
        });
    }
}
