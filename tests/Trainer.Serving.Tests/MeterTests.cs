using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

public sealed class MeterTests
{
    [Test]
    public void EveryRunPublishesTheTrainerMeterEvenWithoutServing()
    {
        var seen = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Trainer") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen[i.Name] = v);
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen[i.Name] = v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen[i.Name] = v);
        listener.Start();
        var folder = Directory.CreateTempSubdirectory("trainer-meter-").FullName;
        try
        {
            var recipe = Path.Combine(folder, "recipe.json");
            File.WriteAllText(recipe, LiveRunFixture.Recipe(epochs: 3));
            var request = new RunRequest
            {
                Recipe = RecipeSource.FromFile(recipe), RunDirectory = Path.Combine(folder, "run"), Console = false, AppSettings = null,
                HostFactory = new ServingHostFactory(serve: false),
                ExtraCallbacks = [new CollectAtEpochEnd(listener)],
            };

            var code = new TrainerApplication(LiveRunFixture.Catalog, TextWriter.Null).RunAsync(request).GetAwaiter().GetResult();

            Assert.That(code, Is.EqualTo(0));
            Assert.That(File.Exists(Path.Combine(folder, "run", "endpoint.json")), Is.False, "not serving");
            Assert.That(seen.Keys, Is.SupersetOf(new[]
            {
                "trainer.epoch", "trainer.step", "trainer.loss", "trainer.accuracy", "trainer.learning_rate", "trainer.samples_per_second", "trainer.paused",
            }));
            Assert.That(seen["trainer.epoch"], Is.EqualTo(3));
            Assert.That(seen["trainer.learning_rate"], Is.EqualTo(0.01));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Collects the observable instruments after each epoch, as dotnet-counters would poll them.</summary>
    private sealed class CollectAtEpochEnd(MeterListener listener) : Trainer.Callbacks.TrainingCallback
    {
        public override void OnEpochEnd(Trainer.Callbacks.EpochContext context) => listener.RecordObservableInstruments();
    }
}
