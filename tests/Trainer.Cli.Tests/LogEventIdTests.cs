using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Trainer.Cli.Tests;

/// <summary>Event ids are a contract for whoever filters log.clef: no two log events the trainer ships share one.</summary>
public sealed class LogEventIdTests
{
    [Test]
    public void EveryLoggerMessageOfTheShippedAssembliesHasItsOwnEventId()
    {
        var folder = AppContext.BaseDirectory;
        var shipped = Directory.EnumerateFiles(folder, "*.dll")
            .Where(f => Path.GetFileName(f) is var name && (name.StartsWith("Trainer.", StringComparison.Ordinal) || name == "trainer.dll") &&
                        !name.EndsWith(".Tests.dll", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom).ToList();
        var events = shipped
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.That(shipped.Select(a => a.GetName().Name), Is.SupersetOf(new[] { "Trainer.Core", "Trainer.Hosting", "Trainer.Serving", "Trainer.Plugins.Checkpoints" }));
        Assert.That(events, Has.Count.GreaterThan(30), "every [LoggerMessage] was found");
        var duplicates = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.That(duplicates, Is.Empty, "event ids used twice");
        Assert.That(events.Where(e => e.Attribute!.EventId <= 0).Select(e => e.Method), Is.Empty, "every event has an id");
    }
}
