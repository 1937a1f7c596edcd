using Trainer.Serving.Dashboard;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>What <c>trainer dashboard</c> refuses before it listens: each problem one line naming the option and the fix.</summary>
public sealed class DashboardServerTests
{
    private static string Runs => Path.GetTempPath();

    [TestCase("http://127.0.0.1:0")]
    [TestCase("http://localhost:5000")]
    [TestCase("http://[::1]:0")]
    public void LoopbackNeedsNoToken(string urls) =>
        Assert.That(DashboardServer.Validate(new DashboardOptions { RunsDirectory = Runs, Urls = urls }), Is.Empty);

    [TestCase("http://0.0.0.0:8080")]
    [TestCase("http://*:8080")]
    [TestCase("http://192.168.1.20:80")]
    public void AnyOtherAddressNeedsAToken(string urls)
    {
        Assert.That(DashboardServer.Validate(new DashboardOptions { RunsDirectory = Runs, Urls = urls }), Is.EqualTo(new[]
        {
            $"--urls {urls} is reachable from other machines, so it needs a token: give --token TOKEN (every API request then needs 'Authorization: Bearer TOKEN'), or listen on http://127.0.0.1:0.",
        }));
        Assert.That(DashboardServer.Validate(new DashboardOptions { RunsDirectory = Runs, Urls = urls, Token = "t0ken-t0ken-9fXq2LwA" }), Is.Empty);
    }

    [Test]
    public void EveryProblemIsListedAtOnce()
    {
        var missing = Path.Combine(Runs, "no-such-runs-folder-" + Guid.NewGuid().ToString("N"));
        var problems = DashboardServer.Validate(new DashboardOptions { RunsDirectory = missing, Storage = "sqlite:" + Path.Combine(missing, "s.db"), Urls = "ftp://x", Token = "" });

        Assert.That(problems, Is.EqualTo(new[]
        {
            $"--runs '{missing}' is not a folder; give the folder that holds run directories (default: runs).",
            $"--storage sqlite:{Path.Combine(missing, "s.db")}: there is no study store at '{Path.Combine(missing, "s.db")}'; run 'trainer search' first, or give the file it wrote.",
            "--token is empty; give a secret, or leave the option out on a loopback address.",
            "--urls 'ftp://x' is not an address; write e.g. http://127.0.0.1:0 (loopback, any free port).",
        }));
    }

    [Test]
    public void AStoreOfAnotherKindIsRefused() =>
        Assert.That(DashboardServer.Validate(new DashboardOptions { RunsDirectory = Runs, Storage = "mysql:x" }),
            Is.EqualTo(new[] { "--storage 'mysql:x' is not supported; use sqlite:PATH or postgres:CONNECTION." }));
}
