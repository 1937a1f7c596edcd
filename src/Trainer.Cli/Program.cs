using Trainer.Agent.Execution;
using Trainer.Cli;
using Trainer.Hosting;
using Trainer.Recipes;

try
{
    NativeAllocatorRestart.RestartIfNeeded(args); // glibc's malloc settings for large tensors, read only at process start
}
catch (RecipeException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.InvalidInput;
}

// A run started by 'trainer agent' dies with it (on Linux), so the agent's next life resumes it from its checkpoint
// without a second writer in its run directory.
if (!ParentDeath.BindToAgent()) return ExitCodes.Interrupted;
return await TrainerCommandLine.InvokeAsync(args, Console.Out, Console.Error);
