namespace Trainer.Serving.Tests.Support;

/// <summary>Deletes the shared runs folder after the last test.</summary>
[SetUpFixture]
public sealed class AssemblyTeardown
{
    [OneTimeTearDown]
    public void DeleteRuns() => RunsFixture.Delete();
}
