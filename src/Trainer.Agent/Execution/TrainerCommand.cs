using System.Reflection;

namespace Trainer.Agent.Execution;

/// <summary>How the agent starts a run: the <c>trainer</c> program and the arguments that come before the command.</summary>
/// <param name="Executable">The program to start (the trainer apphost, or the <c>dotnet</c> host).</param>
/// <param name="LeadingArguments">Arguments before the command (<c>trainer.dll</c> when <see cref="Executable"/> is the dotnet host).</param>
public sealed record TrainerCommand(string Executable, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// The program this process is: its apphost (<c>trainer</c>, <c>trainer.exe</c>), or <c>dotnet trainer.dll</c> when
    /// it was started through the dotnet host.
    /// </summary>
    public static TrainerCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var name = Path.GetFileNameWithoutExtension(process);
        if (!name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return new TrainerCommand(process, []);
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("The trainer assembly this dotnet host runs is unknown.");
        return new TrainerCommand(process, [entry]);
    }

    /// <summary>The whole command line as one would type it (for messages and unit files).</summary>
    public override string ToString() => string.Join(' ', new[] { Executable }.Concat(LeadingArguments).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
