namespace Trainer.Plugins.GradientCheck;

/// <summary>What a relative error says about backprop (the course's rule of thumb).</summary>
public enum GradientCheckVerdict
{
    /// <summary>Below <see cref="GradientCheckOptions.OkBelow"/> (1e-7): backprop is right.</summary>
    Ok,

    /// <summary>Below <see cref="GradientCheckOptions.WarnBelow"/> (1e-5): probably right; look at the worst entries.</summary>
    Warn,

    /// <summary>Below <see cref="GradientCheckOptions.FailAbove"/> (1e-3): suspicious; check the worst entries carefully.</summary>
    Suspect,

    /// <summary>At or above <see cref="GradientCheckOptions.FailAbove"/>: backprop is very likely wrong.</summary>
    Fail,
}
