using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Trainer.Recipes;

namespace Trainer.Agent.Platform;

/// <summary>
/// Writes the systemd unit of <c>trainer agent</c> (<c>trainer agent --print-unit</c>): a Type=notify service that says
/// READY when it can take work and pings the watchdog while not stalled, restarted on failure, stopped with SIGTERM and
/// time for a checkpoint, and sandboxed: the file system is read-only but for the runs folder and the queue's folder,
/// home folders are read-only (datasets and a trainer installed as a dotnet tool under ~/.dotnet stay readable; tmpfs
/// would hide them), /tmp is private. Values are quoted and escaped per systemd.syntax(7) (% as %%, $ as $$ in ExecStart=).
/// <para>
/// Install: <c>trainer agent … --print-unit | sudo tee /etc/systemd/system/trainer-agent.service</c>, create the runs and
/// queue folders (ReadWritePaths= must exist when the service starts), then
/// <c>sudo systemctl daemon-reload &amp;&amp; sudo systemctl enable --now trainer-agent</c>; its log: <c>journalctl -u trainer-agent</c>.
/// A PostgreSQL queue's connection string is visible in ExecStart= to every local user (<c>systemctl show</c>); keep its
/// password in ~/.pgpass or PGPASSFILE instead.
/// </para>
/// </summary>
public static partial class SystemdUnit
{
    /// <summary>The agent's unit file for <paramref name="options"/>; throws <see cref="RecipeException"/> listing every invalid option.</summary>
    public static string Write(SystemdUnitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var command = Command(options, problems);
        var runs = options.RunsFolder.Length > 0 ? Path.GetFullPath(options.RunsFolder) : "";
        var queue = QueueArgument(options.Queue, out var queueFolder);
        if (options.Queue.Length == 0) problems.Add("--queue is missing; give the queue, sqlite:PATH or postgres:CONNECTION.");
        if (runs.Length == 0) problems.Add("--runs is missing; give the folder run directories go to.");
        if (options.Slots < 1) problems.Add($"--slots {options.Slots} is not a number of runs at once; give 1 or more.");
        if (options.Watchdog < TimeSpan.Zero) problems.Add($"The watchdog timeout {options.Watchdog} is negative; give 0 (off) or more.");
        if (options.RestartDelay < TimeSpan.Zero) problems.Add($"The restart delay {options.RestartDelay} is negative; give 0 or more.");
        if (options.StopTimeout <= TimeSpan.Zero) problems.Add($"The stop timeout {options.StopTimeout} is not positive; give the time a checkpoint needs.");
        if (options.MemoryMax is { } memory && !MemoryLimit().IsMatch(memory))
            problems.Add($"MemoryMax '{memory}' is not a memory limit; give bytes with an optional K, M, G or T suffix (48G), a percentage (80%) or infinity.");

        string[] args = [.. command, "agent", "--queue", queue, "--runs", runs, "--slots", options.Slots.ToString(CultureInfo.InvariantCulture),
            .. options.ExtraArguments];
        var workingDirectory = Path.GetFullPath(options.WorkingDirectory ?? Environment.CurrentDirectory);
        var user = options.User ?? Environment.UserName;
        string[] writable = [.. new[] { runs, queueFolder }.OfType<string>().Where(p => p.Length > 0), .. options.ReadWritePaths.Select(Path.GetFullPath)];
        foreach (var (name, value) in new[] { ("Description", options.Description), ("WorkingDirectory", workingDirectory), ("User", user),
            ("Group", options.Group ?? "") }.Concat(args.Select(a => ("an argument", a))).Concat(writable.Select(p => ("ReadWritePaths", p))))
        {
            if (value.Any(char.IsControl)) problems.Add($"{name} '{value.ReplaceLineEndings(" ")}' holds a control character (a line break); a unit file value is one line.");
        }
        if (problems.Count > 0) throw new RecipeException(problems);

        var unit = new StringBuilder();
        void Line(string text = "") => unit.Append(text).Append('\n');
        Line("[Unit]");
        Line($"Description={Specifiers(options.Description)}");
        Line("Wants=network-online.target");
        Line("After=network-online.target");
        Line();
        Line("[Service]");
        Line("Type=notify");
        Line("NotifyAccess=main");
        Line($"ExecStart={string.Join(' ', args.Select(ExecArgument))}");
        Line($"WorkingDirectory={Specifiers(workingDirectory)}");
        Line($"User={Specifiers(user)}");
        if (options.Group is { Length: > 0 } group) Line($"Group={Specifiers(group)}");
        Line("Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1");
        Line("SyslogIdentifier=trainer-agent");
        Line($"WatchdogSec={Seconds(options.Watchdog)}");
        Line("Restart=on-failure");
        Line($"RestartSec={Seconds(options.RestartDelay)}");
        Line("KillSignal=SIGTERM");
        // SIGTERM to the agent only: it stops its runs itself (each checkpoints, then goes back to the queue); the rest of the
        // group gets SIGKILL only if it is still there when TimeoutStopSec runs out.
        Line("KillMode=mixed");
        Line($"TimeoutStopSec={Seconds(options.StopTimeout)}");
        if (options.MemoryMax is { } max) Line($"MemoryMax={max}");
        Line("NoNewPrivileges=yes");
        Line("ProtectSystem=strict");
        Line("ProtectHome=read-only");
        Line($"ReadWritePaths={string.Join(' ', writable.Distinct(StringComparer.Ordinal).Select(PathWord))}");
        Line("PrivateTmp=yes");
        if (options.Gpu) Line("# PrivateDevices= is left off: it would hide /dev/nvidia* from CUDA.");
        else Line("PrivateDevices=yes");
        Line("ProtectKernelTunables=yes");
        Line("ProtectKernelModules=yes");
        Line("ProtectControlGroups=yes");
        Line("RestrictSUIDSGID=yes");
        Line("LockPersonality=yes");
        Line();
        Line("[Install]");
        Line("WantedBy=multi-user.target");
        return unit.ToString();
    }

    /// <summary>The program words of ExecStart=: the trainer executable, or the dotnet host and trainer.dll.</summary>
    private static List<string> Command(SystemdUnitOptions options, List<string> problems)
    {
        var process = options.ProcessPath ?? Environment.ProcessPath;
        if (string.IsNullOrEmpty(process))
        {
            problems.Add("The trainer executable is unknown (no process path); run the installed trainer to print its unit.");
            return [];
        }
        process = Path.GetFullPath(process);
        if (!Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return [process];
        var assembly = options.EntryAssembly ?? Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(assembly))
        {
            problems.Add($"The trainer runs in the dotnet host ({process}) but its assembly is unknown; run the installed trainer to print its unit.");
            return [process];
        }
        return [process, Path.GetFullPath(assembly)];
    }

    /// <summary>The queue argument with a SQLite path made absolute; <paramref name="folder"/> is that database's folder (null for others).</summary>
    private static string QueueArgument(string queue, out string? folder)
    {
        folder = null;
        const string sqlite = "sqlite:";
        if (!queue.StartsWith(sqlite, StringComparison.OrdinalIgnoreCase) || queue.Length == sqlite.Length) return queue;
        var path = Path.GetFullPath(queue[sqlite.Length..]);
        folder = Path.GetDirectoryName(path);
        return sqlite + path;
    }

    private static string Seconds(TimeSpan span) => Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>% starts a specifier in almost every setting.</summary>
    private static string Specifiers(string value) => value.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>A word of ExecStart=: specifiers and $ variables escaped, double-quoted when it holds a blank, a quote, a backslash or ';' (a command separator).</summary>
    private static string ExecArgument(string word) => Quote(Specifiers(word).Replace("$", "$$", StringComparison.Ordinal), word.Contains(';', StringComparison.Ordinal));

    /// <summary>A path in a space-separated list such as ReadWritePaths= (unquoted by systemd; no $ expansion there).</summary>
    private static string PathWord(string path) => Quote(Specifiers(path), force: false);

    private static string Quote(string word, bool force)
    {
        if (!force && word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')) return word;
        return "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex(@"^(\d+(\.\d+)?[KMGTPE]?|\d+(\.\d+)?%|infinity)$")]
    private static partial Regex MemoryLimit();
}
