using System.CommandLine;
using Trainer.Hosting;
using Trainer.Serving.Security;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer token</c>: prints a new random bearer token for <c>Serve:Token</c> or <c>trainer dashboard --token</c>.</summary>
internal static class TokenCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("token", "Print a new random token (256 bits, base64url) for Serve:Token or trainer dashboard --token.");
        command.SetAction(async _ =>
        {
            await output.WriteLineAsync(TokenRules.NewToken()).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }
}
