using Trainer.Search;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

/// <summary>
/// <see cref="HyperbandPruner"/> over each study store: a trial is judged only against the trials of its bracket that
/// reached the rung. Brackets follow from the study's name, so the tests find each bracket's trials with
/// <see cref="HyperbandBrackets.BracketOf"/>.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class HyperbandPrunerStoreTests(string kind) : StudyStoreFixture(kind, "hb")
{
    private static (IReadOnlyDictionary<string, string>, double[]) Sample(int number, IReadOnlyList<TrialRecord> trials) =>
        (new Dictionary<string, string>(), [0.5]);

    [Test]
    public void ATrialIsJudgedOnlyAgainstThePeersOfItsBracket()
    {
        // (1, 9, 3): three brackets with budgets 9, 5, 3; bracket 0 has rungs at epochs 1 and 3, bracket 1 at 3, bracket 2 none.
        using var store = Open();
        store.EnsureStudy(StudyName, "val_accuracy", true, "{}");
        var pruner = new HyperbandPruner(store, StudyName, maximize: true, new HyperbandBrackets(1, 9, 3));
        Assert.That(pruner.Brackets.Budgets, Is.EqualTo(new[] { 9, 5, 3 }));
        var numbers = Enumerable.Range(0, 60).Select(_ => store.StartTrial(StudyName, 100, "w", TimeSpan.FromHours(1), Sample)!.Number).ToList();
        var first = numbers.Where(n => pruner.Brackets.BracketOf(StudyName, n) == 0).ToList();
        var second = numbers.Where(n => pruner.Brackets.BracketOf(StudyName, n) == 1).ToList();
        Assert.That(first, Has.Count.AtLeast(5));
        Assert.That(second, Has.Count.AtLeast(4));

        // Bracket 1's trials are excellent at epoch 1 (not their rung); bracket 0's first three are poor.
        foreach (var n in second.Take(3)) store.Report(StudyName, n, 1, 0.99);
        foreach (var n in first.Take(3)) store.Report(StudyName, n, 1, 0.1);
        store.Finish(StudyName, first[0], TrialState.Pruned, 0.1, null);
        store.Report(StudyName, first[3], 1, 0.5);

        Assert.That(pruner.Judge(first[3], 1, 0.5), Is.Null, "0.5 is the best of its bracket, though worse than bracket 1's trials");
        store.Report(StudyName, first[4], 1, 0.3);
        Assert.That(pruner.Judge(first[4], 1, 0.3), Is.EqualTo("is not in the best 1 of 5 trials of bracket 0 at rung epoch 1"));
        store.Report(StudyName, second[3], 1, 0.0);
        Assert.That(pruner.Judge(second[3], 1, 0.0), Is.Null, "epoch 1 is no rung of bracket 1");
        store.Report(StudyName, first[3], 2, 0.1);
        Assert.That(pruner.Judge(first[3], 2, 0.1), Is.Null, "epoch 2 is no rung");

        // At epoch 3, bracket 1's rung: only its own trials count (bracket 0's 0.9 would beat 0.6).
        store.Report(StudyName, first[3], 3, 0.9);
        foreach (var (n, v) in second.Take(3).Zip(new[] { 0.5, 0.4, 0.3 })) store.Report(StudyName, n, 3, v);
        Assert.That(pruner.Judge(second[3], 3, 0.6), Is.Null);
        Assert.That(pruner.Judge(second[3], 3, 0.45), Is.EqualTo("is not in the best 1 of 4 trials of bracket 1 at rung epoch 3"));
    }

    [Test]
    public void FailedTrialsAreNoPeers()
    {
        using var store = Open();
        store.EnsureStudy(StudyName, "val_loss", false, "{}");
        var brackets = new HyperbandBrackets(1, 9, 3);
        var pruner = new HyperbandPruner(store, StudyName, maximize: false, brackets);
        var numbers = Enumerable.Range(0, 60).Select(_ => store.StartTrial(StudyName, 100, "w", TimeSpan.FromHours(1), Sample)!.Number).ToList();
        var first = numbers.Where(n => brackets.BracketOf(StudyName, n) == 0).ToList();
        foreach (var n in first.Take(3)) store.Report(StudyName, n, 1, 0.1);
        foreach (var n in first.Take(3)) store.Finish(StudyName, n, TrialState.Failed, null, "boom");

        Assert.That(pruner.Judge(first[3], 1, 5.0), Is.Null, "alone in its bracket at the rung");
        store.Report(StudyName, first[4], 1, 0.2);
        Assert.That(pruner.Judge(first[3], 1, 5.0), Is.EqualTo("is not in the best 1 of 2 trials of bracket 0 at rung epoch 1"));
    }
}
