using Trainer.Hosting.Search;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;
using Trainer.Search;

namespace Trainer.Hosting.Tests.Search;

public sealed class SqliteStudyStoreTests
{
    private static (IReadOnlyDictionary<string, string>, double[]) Sample(int number, IReadOnlyList<TrialRecord> finished) =>
        (new Dictionary<string, string> { ["Optimizer:LearningRate"] = (0.001 * (number + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            [number / 100.0]);

    [Test]
    public void WorkersOnTwoConnectionsNeverShareATrialNumberAndLoseNone()
    {
        using var folder = new TestFolder();
        var path = folder.File("studies.db");
        using (var setup = new SqliteStudyStore(path)) setup.EnsureStudy("s", "val_accuracy", true, "{}");

        var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            using var store = new SqliteStudyStore(path);
            while (store.StartTrial("s", budget: 20, $"worker{w}", TimeSpan.FromMinutes(5), Sample) is { } trial)
            {
                numbers.Add(trial.Number);
                store.Report("s", trial.Number, 1, 0.5);
                store.Finish("s", trial.Number, TrialState.Complete, trial.Number / 100.0, null);
            }
        })).ToArray();
        Task.WaitAll(workers);

        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(0, 20)));
        using var check = new SqliteStudyStore(path);
        var trials = check.Trials("s");
        Assert.That(trials.Select(t => t.State), Is.All.EqualTo(TrialState.Complete));
        Assert.That(trials[3].Parameters["Optimizer:LearningRate"], Is.EqualTo("0.004"));
        Assert.That(check.ValuesAt("s", 1, exceptTrial: 0), Has.Count.EqualTo(19));
    }

    [Test]
    public void ATrialWhoseWorkerStoppedReportingIsMarkedFailedAndTheStudyGoesOn()
    {
        using var folder = new TestFolder();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy("s", "val_loss", false, "{}");
        var orphan = store.StartTrial("s", 5, "killed", TimeSpan.FromMinutes(5), Sample)!;

        Thread.Sleep(50);
        var next = store.StartTrial("s", 5, "alive", TimeSpan.FromMilliseconds(10), Sample)!;

        var trials = store.Trials("s");
        Assert.That((trials[0].Number, trials[0].State), Is.EqualTo((orphan.Number, TrialState.Failed)));
        Assert.That(trials[0].Failure, Is.EqualTo("its worker stopped reporting (killed or crashed)"));
        Assert.That((next.Number, trials[1].State), Is.EqualTo((1, TrialState.Running)));
    }

    [Test]
    public void TheBudgetCountsCompleteAndPrunedTrialsOnly()
    {
        using var folder = new TestFolder();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy("s", "val_loss", false, "{}");
        var states = new[] { TrialState.Complete, TrialState.Failed, TrialState.Pruned };
        foreach (var state in states)
        {
            var trial = store.StartTrial("s", 2, "w", TimeSpan.FromMinutes(5), Sample)!;
            store.Finish("s", trial.Number, state, state == TrialState.Failed ? null : 1.0, state == TrialState.Failed ? "boom" : null);
        }

        Assert.That(store.StartTrial("s", 2, "w", TimeSpan.FromMinutes(5), Sample), Is.Null, "one complete and one pruned meet a budget of two");
        Assert.That(store.Trials("s").Select(t => t.State), Is.EqualTo(states));
    }

    [Test]
    public void AnExistingStudyWithAnotherSpaceIsRefused()
    {
        using var folder = new TestFolder();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy("s", "val_loss", false, "{\"a\":1}");

        var error = Assert.Throws<RecipeException>(() => store.EnsureStudy("s", "val_loss", false, "{\"a\":2}"));

        Assert.That(error!.Message, Does.StartWith("Study 's' already exists with another objective, direction or space"));
    }
}
