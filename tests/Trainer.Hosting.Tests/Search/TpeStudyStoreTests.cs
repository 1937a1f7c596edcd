using Trainer.Search;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

/// <summary>TPE with several workers on one study store: each suggestion sees the others' running trials (the constant liar).</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class TpeStudyStoreTests(string kind) : StudyStoreFixture(kind, "tpe")
{
    [Test]
    public void TwoWorkersSuggestNoPointTwiceAndLoseNoTrial()
    {
        var space = new IDistribution[] { new LogUniformDistribution(1e-5, 1), new CategoricalDistribution(["32", "64", "128"]) };
        var spec = new SearchSpec
        {
            Study = StudyName, Objective = "val_loss", Maximize = false, Trials = 30, Seed = 4,
            Space = [("Optimizer:LearningRate", space[0]), ("Training:BatchSize", space[1])],
            Sampler = new TpeSampler(space, new TpeOptions { StartupTrials = 5 }), Pruner = "None",
        };
        using (var setup = Open()) setup.EnsureStudy(StudyName, spec.Objective, spec.Maximize, spec.SpaceJson);

        // In every round worker 0 starts its trial, then worker 1 starts its own while worker 0's still runs, then both
        // finish: each of worker 1's suggestions is made with a running trial in the store, in its own thread and connection.
        using var barrier = new Barrier(2);
        var runningSeen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            using var store = Open();
            while (true)
            {
                TrialRecord? Start() => store.StartTrial(StudyName, spec.Trials, $"worker{w}", TimeSpan.FromMinutes(5), (number, trials) =>
                {
                    if (w == 1) runningSeen.Add(trials.Count(t => t.State == TrialState.Running));
                    return SearchRunner.Sample(spec, number, trials);
                });
                TrialRecord? trial;
                if (w == 0)
                {
                    trial = Start();
                    barrier.SignalAndWait();
                }
                else
                {
                    barrier.SignalAndWait();
                    trial = Start();
                }
                barrier.SignalAndWait();
                if (trial is null) break;
                var learningRate = double.Parse(trial.Parameters["Optimizer:LearningRate"], System.Globalization.CultureInfo.InvariantCulture);
                store.Finish(StudyName, trial.Number, TrialState.Complete, Math.Pow(Math.Log10(learningRate) + 3, 2), null);
            }
        })).ToArray();
        Assert.That(Task.WaitAll(workers, TimeSpan.FromMinutes(2)), Is.True, "the workers finished");

        using var check = Open();
        var trials = check.Trials(StudyName);
        Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 30)));
        Assert.That(trials.Select(t => t.State), Is.All.EqualTo(TrialState.Complete));
        Assert.That(trials.Select(t => string.Join("|", t.Parameters.Values)).Distinct().Count(), Is.EqualTo(30), "no suggestion twice");
        Assert.That(runningSeen, Has.Count.EqualTo(15).And.All.EqualTo(1), "worker 1's suggestions, each made while worker 0's trial ran");
        Assert.That(trials.Skip(20).Count(t => t.Value < 1), Is.GreaterThanOrEqualTo(6), "the last ten learnt the good decade");
    }
}
