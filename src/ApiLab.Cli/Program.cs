using ApiLab.Cli;

return ApilabCommand.Run(args, Console.Out, Console.Error);
