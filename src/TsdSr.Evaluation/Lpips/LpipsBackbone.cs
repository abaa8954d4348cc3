namespace TsdSr.Evaluation.Lpips;

/// <summary>The torchvision feature extractor under LPIPS (v0.1 heads exist for both).</summary>
public enum LpipsBackbone
{
    /// <summary>AlexNet <c>features</c>, taps after the ReLUs 1, 4, 7, 9, 11 (pyiqa <c>lpips</c>, the papers' setting).</summary>
    Alex,

    /// <summary>VGG16 <c>features</c>, taps relu1_2 … relu5_3 (pyiqa <c>lpips-vgg</c>).</summary>
    Vgg16,
}
