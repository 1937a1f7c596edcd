using Trainer.Cli;

return await TrainerCommandLine.InvokeAsync(args, Console.Out, Console.Error);
