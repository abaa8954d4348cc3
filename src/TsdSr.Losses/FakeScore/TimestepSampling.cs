namespace TsdSr.Losses.FakeScore;

/// <summary>How the fake-score loss (and the TSD teacher time) draws schedule indices.</summary>
public enum TimestepSampling
{
    /// <summary>Reference: idx ~ randint(min, max) uniformly over integer indices (50..949 by default).</summary>
    UniformIndexRange,

    /// <summary>diffusers <c>logit_normal</c> density: u = sigmoid(N(mean, std)), idx = ⌊u·N⌋.</summary>
    LogitNormal,

    /// <summary>diffusers <c>mode</c> density: u ~ U(0,1), u ← 1 − u − s·(cos²(πu/2) − 1 + u), idx = ⌊u·N⌋.</summary>
    Mode,

    /// <summary>diffusers fallback: u ~ U(0,1), idx = ⌊u·N⌋.</summary>
    Uniform,
}
