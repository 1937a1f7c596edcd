using Spectre.Console;
using Trainer.Terminal;

namespace Trainer.Hosting.Tests.Terminal;

public sealed class AnsiConsoleLineWriterTests
{
    private static (AnsiConsoleLineWriter Writer, StringWriter Output) Create(bool ansi = false)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No,
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No, ColorSystem = ansi ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
        });
        return (new AnsiConsoleLineWriter(console), output);
    }

    [Test]
    public void WholeLinesAreWrittenAtOnceAndAPartialLineWaitsForTheRest()
    {
        var (writer, output) = Create();

        writer.Write("first li");
        Assert.That(output.ToString(), Is.Empty, "nothing before the newline");
        writer.Write("ne\nsecond line\nthi");
        Assert.That(output.ToString(), Is.EqualTo("first line\nsecond line\n"));
        writer.Write("rd");
        writer.Write('\n');
        Assert.That(output.ToString(), Is.EqualTo("first line\nsecond line\nthird\n"));
    }

    [Test]
    public void FlushWritesThePartialLineWithoutANewline()
    {
        var (writer, output) = Create();

        writer.Write("progress 50%");
        writer.Flush();
        writer.Flush();

        Assert.That(output.ToString(), Is.EqualTo("progress 50%"), "written once, nothing added by the second flush");
        writer.WriteLine(" and done");
        Assert.That(output.ToString(), Is.EqualTo("progress 50% and done\n"));
    }

    [Test]
    public void CarriageReturnsAreDroppedAndEmptyLinesKept()
    {
        var (writer, output) = Create();

        writer.Write("windows\r\n\r\nline\r\n");

        Assert.That(output.ToString(), Is.EqualTo("windows\n\nline\n"));
    }

    [Test]
    public void ANullStringWritesNothing()
    {
        var (writer, output) = Create();

        writer.Write((string?)null);
        writer.Flush();

        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void ErrorsAreRedWarningsYellowAndInformationPlain()
    {
        string Rendered(Color? colour)
        {
            var reference = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(reference), Interactive = InteractionSupport.No, Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard,
            });
            console.Write(new Text("X", colour is { } c ? new Style(c) : Style.Plain));
            return reference.ToString();
        }
        var (red, yellow, plain) = (Rendered(Color.Red), Rendered(Color.Yellow), Rendered(null));
        Assert.That(red, Is.Not.EqualTo(yellow).And.Not.EqualTo(plain), "the console really colours");

        foreach (var (line, reference) in new[]
                 {
                     ("[12:00:00 ERR] broken", red), ("[12:00:00 FTL] fatal", red), ("[12:00:00 WRN] careful", yellow), ("[12:00:00 INF] fine", plain),
                 })
        {
            var (writer, output) = Create(ansi: true);
            writer.Write(line);
            writer.Flush();
            Assert.That(output.ToString(), Is.EqualTo(reference.Replace("X", line, StringComparison.Ordinal)), line);
        }
    }
}
