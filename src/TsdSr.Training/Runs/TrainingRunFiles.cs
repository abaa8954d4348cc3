using TsdSr.Core.Embeddings;
using TsdSr.Core.Layout;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Evaluation.Lpips;
using TsdSr.Training.Checkpoints;

using TsdSr.Training.Config;
using TsdSr.Training.Pretraining;

namespace TsdSr.Training.Runs;

/// <summary>
/// Checks, before anything is loaded, that every input a <see cref="TsdSrTrainingConfig"/> names exists: the SD3
/// folder (transformer and VAE), the embeddings, the optional teacher LoRA and student, the LPIPS files when LPIPS is
/// weighted, the pair folders (with <c>gt/</c> and <c>lr_bicubic/</c>) or the HR folders (with at least one image) and a
/// degradation file.
/// </summary>
public static class TrainingRunFiles
{
    /// <summary>One line per missing input (config key, what, where it was expected); empty when everything is there.</summary>
    public static IReadOnlyList<string> FindMissing(TsdSrTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var missing = new List<string>();
        var m = config.Models;
        if (config.Stage != TrainingStageKind.Student)
        {
            FindMissingPretraining(config, missing);
            return missing;
        }

        CheckBaseModel(missing, m.BaseModel);
        CheckEmbeddings(missing, "models.default_prompt_embeds", m.DefaultPromptEmbeds);
        CheckEmbeddings(missing, "models.null_prompt_embeds", m.NullPromptEmbeds);
        if (m.TeacherLora is { } teacher)
        {
            CheckFile(missing, "models.teacher_lora", "teacher LoRA", teacher);
        }

        if (m.StudentInit is { } student)
        {
            var full = Path.GetFullPath(student);
            if (!Directory.Exists(full))
            {
                missing.Add($"models.student_init: student folder not found at '{full}' (expected {StudentExport.TransformerFileName} and {StudentExport.VaeFileName} in it).");
            }
            else
            {
                CheckFile(missing, "models.student_init", "student transformer LoRA", Path.Combine(full, StudentExport.TransformerFileName));
                CheckFile(missing, "models.student_init", "student VAE LoRA", Path.Combine(full, StudentExport.VaeFileName));
            }
        }

        if (config.Reconstruction.LpipsWeight > 0)
        {
            if (string.IsNullOrWhiteSpace(m.LpipsBackbone))
            {
                missing.Add($"models.lpips_backbone: not given, but reconstruction.lpips_weight is {config.Reconstruction.LpipsWeight} (give the torchvision {(config.Reconstruction.LpipsNet == LpipsBackbone.Vgg16 ? "VGG16" : "AlexNet")} weights as safetensors or a .pth, or set reconstruction.lpips_weight to 0).");
            }
            else
            {
                CheckFile(missing, "models.lpips_backbone", "LPIPS backbone weights", m.LpipsBackbone);
            }

            if (m.LpipsHeads is { } heads)
            {
                CheckFile(missing, "models.lpips_heads", "LPIPS v0.1 linear heads", heads);
            }
        }

        foreach (var folder in config.Data.PairFolders)
        {
            CheckPairFolder(missing, folder);
        }

        foreach (var folder in config.Data.HrFolders)
        {
            CheckHrFolder(missing, folder);
        }

        if (config.Data.Degradation is { } degradation && !DegradationConfigFile.IsPresetName(degradation))
        {
            CheckFile(missing, "data.degradation", $"degradation config (not a preset: {string.Join(", ", DegradationConfig.PresetNames)})", degradation);
        }

        return missing;
    }

    /// <summary>Throws when <see cref="FindMissing"/> finds anything.</summary>
    /// <exception cref="TrainingRunFilesException">Every missing input, each with its expected location.</exception>
    public static void RequireAll(TsdSrTrainingConfig config)
    {
        var missing = FindMissing(config);
        if (missing.Count > 0)
        {
            throw new TrainingRunFilesException(missing);
        }
    }

    private static void FindMissingPretraining(TsdSrTrainingConfig config, List<string> missing)
    {
        foreach (var folder in config.Data.HrFolders)
        {
            CheckHrFolder(missing, folder);
        }

        if (config.Stage == TrainingStageKind.Vae)
        {
            CheckArchitecture(missing, "vae.config", config.Vae.Config, ModelPresets.VaeNames);
            if (config.Vae.Init is { } init)
            {
                CheckComponent(missing, "vae.init", init, "vae");
            }

            return;
        }

        CheckArchitecture(missing, "teacher.config", config.Teacher.Config, ModelPresets.TransformerNames);
        CheckComponent(missing, "models.base_model", config.Models.BaseModel, "vae");
        if (config.Teacher.Init is { } teacherInit)
        {
            CheckComponent(missing, "teacher.init", teacherInit, "transformer");
        }

        if (!string.IsNullOrWhiteSpace(config.Models.DefaultPromptEmbeds))
        {
            CheckEmbeddings(missing, "models.default_prompt_embeds", config.Models.DefaultPromptEmbeds);
            CheckEmbeddings(missing, "models.null_prompt_embeds", config.Models.NullPromptEmbeds);
        }

        if (config.Data.Degradation is { } degradation && !DegradationConfigFile.IsPresetName(degradation))
        {
            CheckFile(missing, "data.degradation", $"degradation config (not a preset: {string.Join(", ", DegradationConfig.PresetNames)})", degradation);
        }
    }

    private static void CheckArchitecture(List<string> missing, string key, string value, IReadOnlyList<string> presets)
    {
        if (!presets.Contains(value))
        {
            CheckFile(missing, key, $"config.json (not a preset: {string.Join(", ", presets)})", value);
        }
    }

    private static void CheckComponent(List<string> missing, string key, string dir, string component)
    {
        try
        {
            DiffusersLayout.Resolve(dir, component);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            missing.Add($"{key}: {component}: {e.Message}");
        }
    }

    private static void CheckBaseModel(List<string> missing, string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
        {
            missing.Add($"models.base_model: SD3 diffusers folder not found at '{full}' (expected transformer/ and vae/, each with config.json and diffusion_pytorch_model.safetensors).");
            return;
        }

        foreach (var component in new[] { "transformer", "vae" })
        {
            try
            {
                DiffusersLayout.Resolve(full, component);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                missing.Add($"models.base_model: {component}: {e.Message}");
            }
        }
    }

    private static void CheckEmbeddings(List<string> missing, string key, string path) =>
        missing.AddRange(PromptEmbeddingsLoader.FindMissing(path).Select(m => $"{key}: embeddings {m}"));

    private static void CheckFile(List<string> missing, string key, string what, string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            missing.Add($"{key}: {what} not found at '{full}'.");
        }
    }

    private static void CheckHrFolder(List<string> missing, string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            missing.Add($"data.hr_folders: HR image folder not found at '{full}'. Any folder of photos works; the repository's photo pool is made by scripts/build-photo-pool.sh (docs/photo-pool.md).");
            return;
        }

        try
        {
            HrImageFolder.Scan(full);
        }
        catch (ArgumentException)
        {
            missing.Add($"data.hr_folders: no {string.Join("/", HrImageFolder.Extensions)} image in '{full}' or its sub-folders.");
        }
    }

    private static void CheckPairFolder(List<string> missing, string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            missing.Add($"data.pair_folders: pair folder not found at '{full}' (expected {PairFolderLayout.Gt}/ and {PairFolderLayout.LrBicubic}/ in it). Make one from HR photos with: tsdsr degrade --input HR_FOLDER --output '{full}' (docs/degradation.md).");
            return;
        }

        foreach (var sub in new[] { PairFolderLayout.Gt, PairFolderLayout.LrBicubic })
        {
            var p = Path.Combine(full, sub);
            if (!Directory.Exists(p))
            {
                missing.Add($"data.pair_folders: '{sub}/' expected at '{p}'.");
            }
        }
    }
}
