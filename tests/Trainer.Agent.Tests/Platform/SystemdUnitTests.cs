using System.Diagnostics;
using Trainer.Agent.Platform;
using Trainer.Recipes;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class SystemdUnitTests
{
    private static SystemdUnitOptions Options(string root) => new()
    {
        Queue = $"sqlite:{root}/queue/queue.db",
        RunsFolder = $"{root}/runs",
        Slots = 2,
        ProcessPath = $"{root}/bin/trainer",
        WorkingDirectory = root,
        User = "trainer",
    };

    [Test]
    public void WritesANotifyServiceWithTheAgentsCommandLine()
    {
        var unit = SystemdUnit.Write(Options("/srv/trainer"));

        Assert.That(Lines(unit), Is.SupersetOf(new[]
        {
            "[Unit]", "Description=Trainer agent", "[Service]", "Type=notify", "NotifyAccess=main",
            "ExecStart=/srv/trainer/bin/trainer agent --queue sqlite:/srv/trainer/queue/queue.db --runs /srv/trainer/runs --slots 2",
            "WorkingDirectory=/srv/trainer", "User=trainer", "WatchdogSec=600", "Restart=on-failure", "RestartSec=10", "KillSignal=SIGTERM",
            "TimeoutStopSec=120", "Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1", "[Install]", "WantedBy=multi-user.target",
        }));
        Assert.That(unit, Does.Not.Contain("Group="), "systemd takes the user's primary group");
        Assert.That(unit, Does.EndWith("WantedBy=multi-user.target\n"));
    }

    [Test]
    public void IsSandboxedButCanWriteTheRunsAndQueueFolders()
    {
        var lines = Lines(SystemdUnit.Write(Options("/srv/trainer")));

        Assert.That(lines, Is.SupersetOf(new[]
        {
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=read-only", "ReadWritePaths=/srv/trainer/runs /srv/trainer/queue",
            "PrivateTmp=yes", "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectControlGroups=yes",
            "RestrictSUIDSGID=yes", "LockPersonality=yes",
        }));
    }

    [Test]
    public void PathsWithSpacesAreQuotedAndSpecifiersEscaped()
    {
        var unit = SystemdUnit.Write(Options("/srv/my trainer"));
        var special = SystemdUnit.Write(new SystemdUnitOptions
        {
            Queue = "sqlite:/data/100% \"queue\".db", RunsFolder = "/data/runs", ProcessPath = "/opt/trainer/trainer", WorkingDirectory = "/data/my runs",
            ExtraArguments = ["--name", "a$b", "back\\slash", "", ";"], Description = "Trainer agent at 100%",
        });

        Assert.That(Lines(unit), Is.SupersetOf(new[]
        {
            "ExecStart=\"/srv/my trainer/bin/trainer\" agent --queue \"sqlite:/srv/my trainer/queue/queue.db\" --runs \"/srv/my trainer/runs\" --slots 2",
            "WorkingDirectory=/srv/my trainer",
            "ReadWritePaths=\"/srv/my trainer/runs\" \"/srv/my trainer/queue\"",
        }));
        Assert.That(Lines(special), Is.SupersetOf(new[]
        {
            "ExecStart=/opt/trainer/trainer agent --queue \"sqlite:/data/100%% \\\"queue\\\".db\" --runs /data/runs --slots 1 --name a$$b \"back\\\\slash\" \"\" \";\"",
            "WorkingDirectory=/data/my runs",
            "Description=Trainer agent at 100%%",
            "ReadWritePaths=/data/runs /data",
        }));
    }

    [Test]
    public void UnderTheDotnetHostTheCommandRunsTrainerDll()
    {
        var unit = SystemdUnit.Write(Options("/srv/trainer"));
        var hosted = SystemdUnit.Write(new SystemdUnitOptions
        {
            Queue = "postgres:Host=db;Database=trainer", RunsFolder = "/srv/runs", ProcessPath = "/usr/share/dotnet/dotnet",
            EntryAssembly = "/home/ann/.dotnet/tools/.store/trainer/0.1.0/trainer/0.1.0/tools/net10.0/any/trainer.dll",
        });

        Assert.That(Lines(hosted), Has.Member(
            "ExecStart=/usr/share/dotnet/dotnet /home/ann/.dotnet/tools/.store/trainer/0.1.0/trainer/0.1.0/tools/net10.0/any/trainer.dll "
            + "agent --queue \"postgres:Host=db;Database=trainer\" --runs /srv/runs --slots 1"));
        Assert.That(Lines(hosted), Has.Member("ReadWritePaths=/srv/runs"), "a PostgreSQL queue has no folder");
        Assert.That(unit, Does.Not.Contain("dotnet"));
    }

    [Test]
    public void WithoutOptionsTheRunningProcessAndUserAreUsed()
    {
        var unit = SystemdUnit.Write(new SystemdUnitOptions { Queue = "sqlite:queue.db", RunsFolder = "runs" });
        var cwd = Environment.CurrentDirectory;

        Assert.That(Lines(unit), Has.Member($"User={Environment.UserName}"));
        Assert.That(Lines(unit), Has.Member($"WorkingDirectory={cwd}"));
        Assert.That(unit, Does.Contain($"--queue sqlite:{Path.Combine(cwd, "queue.db")} --runs {Path.Combine(cwd, "runs")}"), "relative paths made absolute");
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet";
        Assert.That(Lines(unit).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)),
            Does.StartWith("ExecStart=" + (host ? "" : Environment.ProcessPath)).And.Contain(host ? ".dll agent" : " agent"));
    }

    [Test]
    public void MemoryMaxGroupAndTimesOnlyWhenGiven()
    {
        var plain = SystemdUnit.Write(Options("/srv/trainer"));
        var tuned = SystemdUnit.Write(new SystemdUnitOptions
        {
            Queue = "sqlite:/q/q.db", RunsFolder = "/r", ProcessPath = "/bin/trainer", User = "ann", Group = "gpu", MemoryMax = "48G",
            Watchdog = TimeSpan.FromMinutes(30), StopTimeout = TimeSpan.FromSeconds(300.5), RestartDelay = TimeSpan.FromMinutes(1),
            ReadWritePaths = ["/data/cache"],
        });

        Assert.That(plain, Does.Not.Contain("MemoryMax="));
        Assert.That(Lines(tuned), Is.SupersetOf(new[]
        {
            "MemoryMax=48G", "Group=gpu", "WatchdogSec=1800", "TimeoutStopSec=301", "RestartSec=60", "ReadWritePaths=/r /q /data/cache",
        }));
    }

    [Test]
    public void WithAGpuPrivateDevicesIsLeftOff()
    {
        var unit = SystemdUnit.Write(Options("/srv/trainer") with { Gpu = true });

        Assert.That(unit, Does.Not.Contain("PrivateDevices=yes"));
        Assert.That(Lines(unit), Has.Member("# PrivateDevices= is left off: it would hide /dev/nvidia* from CUDA."));
        Assert.That(Lines(unit), Has.Member("ProtectSystem=strict"), "the rest of the sandbox stays");
    }

    [Test]
    public void InvalidOptionsAreAllListed()
    {
        var e = Assert.Throws<RecipeException>(() => SystemdUnit.Write(new SystemdUnitOptions
        {
            Slots = 0, MemoryMax = "48Q", StopTimeout = TimeSpan.Zero, Watchdog = TimeSpan.FromSeconds(-1), ProcessPath = "/bin/trainer",
        }));

        Assert.That(e!.Errors, Is.EqualTo(new[]
        {
            "--queue is missing; give the queue, sqlite:PATH or postgres:CONNECTION.",
            "--runs is missing; give the folder run directories go to.",
            "--slots 0 is not a number of runs at once; give 1 or more.",
            "The watchdog timeout -00:00:01 is negative; give 0 (off) or more.",
            "The stop timeout 00:00:00 is not positive; give the time a checkpoint needs.",
            "MemoryMax '48Q' is not a memory limit; give bytes with an optional K, M, G or T suffix (48G), a percentage (80%) or infinity.",
        }));
    }

    [Test]
    public void ALineBreakInAValueIsRefused()
    {
        var e = Assert.Throws<RecipeException>(() => SystemdUnit.Write(Options("/srv/trainer") with { RunsFolder = "/srv/runs\nExecStartPre=/bin/sh" }));

        Assert.That(e!.Errors, Has.Some.StartWith("an argument '/srv/runs ExecStartPre=/bin/sh' holds a control character"));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void SystemdAnalyzeVerifyAcceptsTheUnit()
    {
        // The unit's text is checked above; here systemd itself parses it, where systemd-analyze is installed.
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze")) Assert.Ignore("systemd-analyze is not installed.");
        using var folder = new TempFolder();
        var root = folder.File("trainer 100% agent");
        var executable = Path.Combine(root, "bin", "trainer");
        Directory.CreateDirectory(Path.GetDirectoryName(executable)!);
        File.WriteAllText(executable, "#!/bin/sh\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var unit = SystemdUnit.Write(Options(root) with
        {
            User = null, MemoryMax = "8G", Gpu = false, ExtraArguments = ["--name", "a$b \"c\"", "d\\e"], Description = "Trainer agent (100%)",
        });

        var (code, output) = Verify(folder.Write("trainer-agent.service", unit));

        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Not.Contain("trainer-agent.service"), "no warning about the unit");
    }

    [Test]
    public void SystemdAnalyzeVerifyRefusesAMissingExecutable()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze")) Assert.Ignore("systemd-analyze is not installed.");
        using var folder = new TempFolder();
        var unit = SystemdUnit.Write(Options(folder.File("missing")));

        var (code, output) = Verify(folder.Write("trainer-agent.service", unit));

        Assert.That(code, Is.Not.Zero, "the check is real: " + output);
    }

    private static (int Code, string Output) Verify(string unitFile)
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(unitFile);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string[] Lines(string unit) => unit.Split('\n');
}
