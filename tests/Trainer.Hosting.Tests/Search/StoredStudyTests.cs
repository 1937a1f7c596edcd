using Trainer.Search;
using Trainer.Hosting.Tests.Reports;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

public sealed class StoredStudyTests
{
    [Test]
    public void RebuildsTheSpaceSoPlotsKeepEachParametersScale()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var spec = StudyHtmlReportTests.Spec("s");
        store.EnsureStudy("s", spec.Objective, spec.Maximize, spec.SpaceJson);
        var started = store.StartTrial("s", 5, "w", TimeSpan.FromMinutes(1),
            (_, _) => (new Dictionary<string, string> { ["Optimizer:LearningRate"] = "0.01", ["Optimizer:Kind"] = "sgd" }, [0.5, 0.5]))!;
        store.Finish("s", started.Number, TrialState.Complete, 0.9, null);

        var (loaded, trials) = StoredStudy.Load(store, "s")!.Value;

        Assert.That(loaded.Space, Is.EqualTo(spec.Space).Using<(string, IDistribution)>((a, b) => a.Item1 == b.Item1 && a.Item2.GetType() == b.Item2.GetType()));
        Assert.That(loaded.Space[0].Distribution, Is.EqualTo(new LogUniformDistribution(1e-4, 1)));
        Assert.That(((CategoricalDistribution)loaded.Space[1].Distribution).Choices, Is.EqualTo(new[] { "adam", "sgd", "<b>x</b>" }));
        Assert.That((loaded.Objective, loaded.Maximize, trials.Count), Is.EqualTo(("val_accuracy", true, 1)));
        Assert.That(StoredStudy.Load(store, "missing"), Is.Null);
    }

    [Test]
    public void AnUnreadableSpaceFallsBackToTheTrialsParameters()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy("s", "val_loss", false, "{not json");
        var started = store.StartTrial("s", 5, "w", TimeSpan.FromMinutes(1), (_, _) => (new Dictionary<string, string> { ["Model:Dropout"] = "0.1" }, [0.5]))!;
        store.Finish("s", started.Number, TrialState.Complete, 0.3, null);

        var (loaded, _) = StoredStudy.Load(store, "s")!.Value;

        Assert.That(loaded.Space.Select(d => (d.Path, d.Distribution)), Is.EqualTo(new[] { ("Model:Dropout", (IDistribution)new UniformDistribution(0, 1)) }));
    }
}
