using Trainer.Search;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Search;

/// <summary>
/// The same contract for every study store. PostgreSQL runs where TRAINER_TEST_POSTGRES holds a connection string;
/// .ci/run installs and starts a server on 127.0.0.1 and sets it.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class StudyStoreTests(string kind) : StudyStoreFixture(kind, "s")
{
    private static (IReadOnlyDictionary<string, string>, double[]) Sample(int number, IReadOnlyList<TrialRecord> finished) =>
        (new Dictionary<string, string> { ["Optimizer:LearningRate"] = (0.001 * (number + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            [number / 100.0]);

    [Test]
    public void StudiesListsEveryStudyOfTheStoreInOrderOfCreation()
    {
        using var store = Open();
        var second = StudyName + "-b";
        store.EnsureStudy(StudyName, "val_accuracy", true, "{}");
        store.EnsureStudy(second, "val_loss", false, "{}");
        store.EnsureStudy(StudyName, "val_accuracy", true, "{}");

        var names = store.Studies();

        Assert.That(names.Where(n => n.StartsWith(StudyName, StringComparison.Ordinal)), Is.EqualTo(new[] { StudyName, second }));
    }

    [Test]
    public void WorkersOnTwoConnectionsNeverShareATrialNumberAndLoseNone()
    {
        using (var setup = Open()) setup.EnsureStudy(StudyName, "val_accuracy", true, "{}");

        var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            using var store = Open();
            while (store.StartTrial(StudyName, budget: 20, $"worker{w}", TimeSpan.FromMinutes(5), Sample) is { } trial)
            {
                numbers.Add(trial.Number);
                store.Report(StudyName, trial.Number, 1, 0.5);
                store.Finish(StudyName, trial.Number, TrialState.Complete, trial.Number / 100.0, null);
            }
        })).ToArray();
        Task.WaitAll(workers);

        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(0, 20)));
        using var check = Open();
        var trials = check.Trials(StudyName);
        Assert.That(trials.Select(t => t.State), Is.All.EqualTo(TrialState.Complete));
        Assert.That(trials[3].Parameters["Optimizer:LearningRate"], Is.EqualTo("0.004"));
        Assert.That(check.ValuesAt(StudyName, 1, exceptTrial: 0), Has.Count.EqualTo(19));
        Assert.That(check.Study(StudyName), Is.EqualTo(("val_accuracy", true, "{}")));
    }

    [Test]
    public void ATrialWhoseWorkerStoppedReportingIsMarkedFailedAndTheStudyGoesOn()
    {
        using var store = Open();
        store.EnsureStudy(StudyName, "val_loss", false, "{}");
        var orphan = store.StartTrial(StudyName, 5, "killed", TimeSpan.FromMinutes(5), Sample)!;

        Thread.Sleep(200);
        var next = store.StartTrial(StudyName, 5, "alive", TimeSpan.FromMilliseconds(50), Sample)!;

        var trials = store.Trials(StudyName);
        Assert.That((trials[0].Number, trials[0].State), Is.EqualTo((orphan.Number, TrialState.Failed)));
        Assert.That(trials[0].Failure, Is.EqualTo("its worker stopped reporting (killed or crashed)"));
        Assert.That((next.Number, trials[1].State), Is.EqualTo((1, TrialState.Running)));
    }

    [Test]
    public void EachTrialCarriesTheLastEpochItReportedAlsoToTheSampler()
    {
        using var store = Open();
        store.EnsureStudy(StudyName, "val_loss", false, "{}");
        var pruned = store.StartTrial(StudyName, 5, "w", TimeSpan.FromMinutes(5), Sample)!;
        foreach (var epoch in new[] { 1, 2, 3 }) store.Report(StudyName, pruned.Number, epoch, 1.0 / epoch);
        store.Finish(StudyName, pruned.Number, TrialState.Pruned, 1.0 / 3, null);
        var silent = store.StartTrial(StudyName, 5, "w", TimeSpan.FromMinutes(5), Sample)!;
        store.Finish(StudyName, silent.Number, TrialState.Pruned, null, null);
        IReadOnlyList<TrialRecord>? seen = null;

        store.StartTrial(StudyName, 5, "w", TimeSpan.FromMinutes(5), (number, trials) =>
        {
            seen = trials;
            return Sample(number, trials);
        });

        Assert.That(store.Trials(StudyName).Select(t => t.LastEpoch), Is.EqualTo(new int?[] { 3, null, null }));
        Assert.That(seen!.Select(t => t.LastEpoch), Is.EqualTo(new int?[] { 3, null }), "what a sampler is handed");
    }

    [Test]
    public void TheBudgetCountsCompletePrunedAndRunningTrialsButNotFailedOnes()
    {
        using var store = Open();
        store.EnsureStudy(StudyName, "val_loss", false, "{}");
        var states = new[] { TrialState.Complete, TrialState.Failed, TrialState.Pruned };
        foreach (var state in states)
        {
            var trial = store.StartTrial(StudyName, 2, "w", TimeSpan.FromMinutes(5), Sample)!;
            store.Finish(StudyName, trial.Number, state, state == TrialState.Failed ? null : 1.0, state == TrialState.Failed ? "boom" : null);
        }

        Assert.That(store.StartTrial(StudyName, 2, "w", TimeSpan.FromMinutes(5), Sample), Is.Null, "one complete and one pruned meet a budget of two");
        Assert.That(store.Trials(StudyName).Select(t => t.State), Is.EqualTo(states));
        Assert.That(store.Trials(StudyName)[1].Failure, Is.EqualTo("boom"));
    }

    [Test]
    public void AnExistingStudyWithAnotherSpaceIsRefused()
    {
        using var store = Open();
        store.EnsureStudy(StudyName, "val_loss", false, "{\"a\":1}");

        var error = Assert.Throws<RecipeException>(() => store.EnsureStudy(StudyName, "val_loss", false, "{\"a\":2}"));

        Assert.That(error!.Message, Does.StartWith($"Study '{StudyName}' already exists with another objective, direction or space"));
    }
}
