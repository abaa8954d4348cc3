namespace TsdSr.Training.Schedules;

/// <summary>Learning-rate schedule shapes (diffusers' <c>get_scheduler</c> names in brackets).</summary>
public enum LrScheduleKind
{
    /// <summary>Constant factor 1 (<c>constant</c>).</summary>
    Constant,

    /// <summary>Linear warm-up, then constant (<c>constant_with_warmup</c>).</summary>
    ConstantWithWarmup,

    /// <summary>Linear warm-up, then linear decay to 0 at the total step (<c>linear</c>).</summary>
    Linear,

    /// <summary>Linear warm-up, then a half cosine per cycle, restarting at 1 (<c>cosine_with_restarts</c>).</summary>
    CosineWithRestarts,
}
