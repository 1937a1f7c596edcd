using Trainer.Hosting.Plugins;

namespace Trainer.Hosting.Tests.Plugins;

public sealed class PluginRegistryTests
{
    private static PluginRegistry<SamplerDescriptor> Registry(params SamplerDescriptor[] samplers)
    {
        var registry = new PluginRegistry<SamplerDescriptor>("widget", "widgets", "WidgetName", "no widgets are loaded.");
        foreach (var sampler in samplers) registry.Add(sampler);
        return registry;
    }

    [Test]
    public void TwoClassesWithOneNameAreAnErrorNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Registry(
            new SamplerDescriptor("Fast", typeof(FastWidget), null), new SamplerDescriptor("fast", typeof(SlowWidget), null)));

        Assert.That(error!.Message, Is.EqualTo(
            "Two widgets are named 'fast': Trainer.Hosting.Tests.Plugins.PluginRegistryTests+FastWidget (Trainer.Hosting.Tests) and " +
            "Trainer.Hosting.Tests.Plugins.PluginRegistryTests+SlowWidget (Trainer.Hosting.Tests); rename one with [WidgetName]."));
    }

    [Test]
    public void TwoSchedulesWithOneNameAreToldToRenameWithScheduleName()
    {
        var registry = new PluginRegistry<PluginDescriptor>("callback", "plugins", "CallbackName", "none.");
        registry.Add(new PluginDescriptor("Warm", typeof(ScheduleCallback), null) { ScheduleType = typeof(FastWidget) });

        var error = Assert.Throws<InvalidOperationException>(() =>
            registry.Add(new PluginDescriptor("warm", typeof(ScheduleCallback), null) { ScheduleType = typeof(SlowWidget) }));

        Assert.That(error!.Message, Does.EndWith("rename one with [ScheduleName]."));
    }

    [Test]
    public void TheSameClassAddedTwiceIsOneEntry()
    {
        var registry = Registry(new SamplerDescriptor("Fast", typeof(FastWidget), null), new SamplerDescriptor("Fast", typeof(FastWidget), null));

        Assert.That(registry.Count, Is.EqualTo(1));
    }

    [Test]
    public void LooksNamesUpInAnyCase()
    {
        var registry = Registry(new SamplerDescriptor("Fast", typeof(FastWidget), null));

        Assert.That(registry.TryGet("FAST", out var found), Is.True);
        Assert.That(found!.SamplerType, Is.EqualTo(typeof(FastWidget)));
        Assert.That(registry.TryGet("Slow", out _), Is.False);
    }

    [Test]
    public void AnUnknownNameListsTheKnownOnesInOrder()
    {
        var registry = Registry(new SamplerDescriptor("Slow", typeof(SlowWidget), null), new SamplerDescriptor("Fast", typeof(FastWidget), null));

        Assert.That(registry.Names, Is.EqualTo(new[] { "Fast", "Slow" }));
        Assert.That(registry.NotKnown("Widgets:0:Type", "Medium"), Is.EqualTo("Widgets:0:Type 'Medium' is not a known widget; known: Fast, Slow."));
    }

    [Test]
    public void AnUnknownNameInAnEmptyRegistrySaysNoneIsLoaded()
    {
        Assert.That(Registry().NotKnown("Widget:Type", "Fast"), Is.EqualTo("Widget:Type 'Fast' is not a known widget; no widgets are loaded."));
    }

    [Test]
    public void AddAllCopiesAnotherRegistry()
    {
        var copy = Registry();
        copy.AddAll(Registry(new SamplerDescriptor("Fast", typeof(FastWidget), null)));

        Assert.That(copy.All.Select(d => d.SamplerType), Is.EqualTo(new[] { typeof(FastWidget) }));
    }

    public sealed class FastWidget;

    public sealed class SlowWidget;
}
