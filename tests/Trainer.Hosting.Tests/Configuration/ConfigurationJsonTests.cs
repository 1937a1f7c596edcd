using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Configuration;

namespace Trainer.Hosting.Tests.Configuration;

public sealed class ConfigurationJsonTests
{
    [Test]
    public void RestoresNumbersBooleansArraysAndStrings()
    {
        var json = """{"A":{"N":1e-8,"B":true,"L":[3,1],"S":"x","Z":null}}""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

        var written = ConfigurationJson.ToJson(configuration).Replace(" ", "").Replace("\n", "").Replace("\r", "");

        Assert.That(written, Is.EqualTo("""{"A":{"B":true,"L":[3,1],"N":1e-8,"S":"x","Z":null}}"""));
    }
}
