using Trainer.Callbacks;
using Trainer.Hosting.Plugins;

namespace Trainer.Cli.Tests;

public sealed class PluginsCommandTests
{
    [Test]
    public async Task ListsEveryPluginWithItsOptionsAndDefaults()
    {
        var output = new StringWriter();
        var catalog = new PluginCatalog().Add<SampleCallback>();

        var code = await TrainerCommandLine.InvokeAsync(["plugins"], output, new StringWriter(), catalog);

        Assert.That(code, Is.EqualTo(0));
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("Sample  (Trainer.Cli.Tests.PluginsCommandTests+SampleCallback"));
        Assert.That(lines[1], Does.Match(@"^\s+Patience\s+Int32\s+default 3$"));
        Assert.That(lines[2], Does.Match(@"^\s+Monitor\s+String\s+default ""val_loss""$"));
    }

    [Test]
    public async Task SaysSoWhenNoPluginIsInstalled()
    {
        var output = new StringWriter();

        await TrainerCommandLine.InvokeAsync(["plugins"], output, new StringWriter(), new PluginCatalog());

        Assert.That(output.ToString(), Does.StartWith("No callback plugins are installed"));
    }

    public sealed class SampleOptions
    {
        public int Patience { get; set; } = 3;
        public string Monitor { get; set; } = "val_loss";
    }

    public sealed class SampleCallback(SampleOptions options) : TrainingCallback
    {
        public SampleOptions Options { get; } = options;
    }
}
