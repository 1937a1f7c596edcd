using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Tests.Training;

/// <summary>Which glibc malloc settings a trainer process starts with (see <see cref="NativeAllocator"/>).</summary>
public sealed class NativeAllocatorTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void OnGlibcTheTunedSettingsAreTheDefaultAndNothingElsesBusiness()
    {
        Assert.That(NativeAllocator.TunablesFor(Environment(), glibc: true), Is.EqualTo(NativeAllocator.Tunables));
        Assert.That(NativeAllocator.TunablesFor(Environment((NativeAllocator.EnvironmentVariable, " Tuned ")), glibc: true), Is.EqualTo(NativeAllocator.Tunables));
        Assert.That(NativeAllocator.TunablesFor(Environment(), glibc: false), Is.Null, "Windows, macOS and musl are left alone");
        Assert.That(NativeAllocator.Tunables, Does.Contain("glibc.malloc.arena_max=1").And.Contain("glibc.malloc.mmap_threshold=33554432")
            .And.Contain("glibc.malloc.trim_threshold=536870912"));
    }

    [Test]
    public void TheUsersOwnSettingsWinAndOtherGlibcSettingsAreKept()
    {
        Assert.That(NativeAllocator.TunablesFor(Environment((NativeAllocator.EnvironmentVariable, "default")), glibc: true), Is.Null);
        Assert.That(NativeAllocator.TunablesFor(Environment((NativeAllocator.TunablesVariable, "glibc.malloc.arena_max=4")), glibc: true), Is.Null);
        Assert.That(NativeAllocator.TunablesFor(Environment((NativeAllocator.TunablesVariable, "glibc.rtld.optional_static_tls=2048")), glibc: true),
            Is.EqualTo("glibc.rtld.optional_static_tls=2048:" + NativeAllocator.Tunables));
    }

    [Test]
    public void AnUnknownChoiceIsOneLineNamingTheVariableAndBothChoices()
    {
        var error = Assert.Throws<RecipeException>(() => NativeAllocator.TunablesFor(Environment((NativeAllocator.EnvironmentVariable, "jemalloc")), glibc: true))!;

        Assert.That(error.Message, Does.Contain(NativeAllocator.EnvironmentVariable).And.Contain("'jemalloc'").And.Contain("'tuned'").And.Contain("'default'"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }
}
