using Trainer.Callbacks;

namespace Trainer.Tests.Callbacks;

public sealed class CallbackStateTests
{
    [Test]
    public void EveryKindOfValueRoundTripsThroughJson()
    {
        var state = new CallbackState()
            .Set("best", 0.123456789012345)
            .Set("nan", double.NaN)
            .Set("inf", double.PositiveInfinity)
            .Set("wait", 7L)
            .Set("mode", "min")
            .Set("restored", true)
            .Set("history", new[] { 1.5, -2.25 });

        var copy = CallbackState.FromJson(state.ToJson());

        Assert.That(copy.GetDouble("best"), Is.EqualTo(0.123456789012345));
        Assert.That(copy.GetDouble("nan"), Is.NaN);
        Assert.That(copy.GetDouble("inf"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(copy.GetInt64("wait"), Is.EqualTo(7));
        Assert.That(copy.GetString("mode"), Is.EqualTo("min"));
        Assert.That(copy.GetBoolean("restored"), Is.True);
        Assert.That(copy.GetDoubles("history"), Is.EqualTo(new[] { 1.5, -2.25 }));
        Assert.That(copy.Keys, Is.EquivalentTo(state.Keys));
    }

    [Test]
    public void ArraysKeepNaNAndInfinitiesThroughJson()
    {
        var state = new CallbackState().Set("history", new[] { 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity });

        var copy = CallbackState.FromJson(state.ToJson());

        Assert.That(copy.GetDoubles("history"), Is.EqualTo(new[] { 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity }));
    }

    [Test]
    public void AMissingKeyIsNamed()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => new CallbackState().GetDouble("best"));
        Assert.That(error!.Message, Is.EqualTo("Callback state has no 'best'."));
    }

    [Test]
    public void ReasonCodesAreKebabCase()
    {
        Assert.That(ReasonCode.From(DayOfWeek.Wednesday), Is.EqualTo("wednesday"));
        Assert.That(ReasonCode.From(Trainer.Training.RunStatus.StoppedEarly), Is.EqualTo("stopped-early"));
    }
}
