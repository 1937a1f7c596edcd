using Trainer.Callbacks;

namespace Trainer.Tests.Callbacks;

/// <summary>A callback's name is stated once: by its attribute, or by its class name without "Callback".</summary>
public sealed class TrainingCallbackNameTests
{
    private sealed class PlateauStopCallback : TrainingCallback;

    [CallbackName("Steady")]
    private sealed class SteadyStateCallback : TrainingCallback;

    private sealed class Callback : TrainingCallback;

    [Test]
    public void TheNameComesFromTheAttributeElseTheClassNameWithoutCallback()
    {
        Assert.That(new PlateauStopCallback().Name, Is.EqualTo("PlateauStop"), "it logged and stopped as PlateauStopCallback");
        Assert.That(new SteadyStateCallback().Name, Is.EqualTo("Steady"));
        Assert.That(new Callback().Name, Is.EqualTo("Callback"), "a class named just Callback keeps its name");
        Assert.That(TrainingCallback.NameOf(typeof(PlateauStopCallback)), Is.EqualTo("PlateauStop"));
    }
}
