namespace Trainer.Schedules;

/// <summary>
/// Makes an <see cref="ILearningRateSchedule"/> in a plugin assembly usable as a callback of this name:
/// <c>{ "Type": "NAME", "Options": { … } }</c> sets the learning rate at the start of every epoch to
/// <c>LearningRate(Optimizer:LearningRate, completed epochs)</c>. The class needs a public constructor taking nothing
/// or one options object.
/// </summary>
/// <param name="name">The name recipes use.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ScheduleNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
