using System.Net;
using System.Text;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Serving.Api;

namespace Trainer.Cli.Tests;

/// <summary><c>trainer ctl</c> trusts endpoint.json only as far as this machine: it never sends a token elsewhere and says plainly what it found.</summary>
public sealed class CtlCommandTests
{
    private static async Task<(int Code, string Error)> Ctl(params string[] args)
    {
        var error = new StringWriter();
        var code = await TrainerCommandLine.InvokeAsync(["ctl", .. args], new StringWriter(), error);
        return (code, error.ToString().Trim());
    }

    private static void Endpoint(string runDirectory, string url, int pid) =>
        new EndpointInfo { Url = url, RunId = "planted", Pid = pid, TokenRequired = true }.Write(runDirectory);

    [Test]
    public async Task AnEndpointFileNamingAnotherMachineGetsNoTokenUnlessTheUserNamesTheAddress()
    {
        using var folder = new TempFolder();
        Endpoint(folder.Path, "http://198.51.100.7:5000", Environment.ProcessId);

        var (code, error) = await Ctl(folder.Path, "status", "--token", "a-token-that-must-stay-here");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Is.EqualTo("error: endpoint.json names http://198.51.100.7:5000/, which is not this machine; pass --url with the run's address if that is where it serves."));
    }

    [Test]
    public async Task ARunKilledBeforeItCouldMarkItsEndpointFileHasEnded()
    {
        using var folder = new TempFolder();
        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        Endpoint(folder.Path, "http://127.0.0.1:9", gone.Id);

        var (code, error) = await Ctl(folder.Path, "status");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Is.EqualTo($"error: the run planted has ended: its process {gone.Id} is gone (killed before it could mark endpoint.json)."));
    }

    [Test]
    public async Task AnAnswerThatIsNotARunsStatusIsOneLine()
    {
        using var folder = new TempFolder();
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var body = Encoding.UTF8.GetBytes("{\"status\": [1, 2, 3], \"step\": \"many\"}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        Endpoint(folder.Path, $"http://127.0.0.1:{port}", Environment.ProcessId);

        var (code, error) = await Ctl(folder.Path, "status", "--token", "irrelevant-token-123");
        await answering;

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Does.StartWith($"error: http://127.0.0.1:{port}/ answered with something that is not a run's status").And.Not.Contain("\n"));
        Assert.That(error, Does.Not.Contain("   at "));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
