using System.Security.Cryptography;
using System.Text;
using Trainer.Recipes;

namespace Trainer.Agent.Execution;

/// <summary>
/// One agent of a name per queue on a machine: the queue knows an agent's runs by its name, so a second agent of the same
/// name would put back (and then run) the runs the first is running. An exclusive lock on a file named after the queue and
/// the name, held for the agent's life and released by the operating system when it dies.
/// </summary>
public sealed class AgentLock : IDisposable
{
    private readonly FileStream file;

    private AgentLock(FileStream file) => this.file = file;

    /// <summary>Takes the lock for <paramref name="agent"/> on <paramref name="queueLocation"/>.</summary>
    /// <exception cref="RecipeException">Another agent of that name already runs on that queue on this machine.</exception>
    public static AgentLock Acquire(string queueLocation, string agent)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{queueLocation}\n{agent}")))[..16].ToLowerInvariant();
        var path = Path.Combine(Path.GetTempPath(), $"trainer-agent-{key}.lock");
        try
        {
            return new AgentLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException)
        {
            throw new RecipeException($"An agent named '{agent}' already takes runs from {queueLocation} on this machine; " +
                                      "give each agent its own --agent-id (the queue tells agents apart by it).");
        }
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();
}
