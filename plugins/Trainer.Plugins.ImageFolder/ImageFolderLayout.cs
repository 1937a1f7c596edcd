using Trainer.Recipes;

namespace Trainer.Plugins.ImageFolder;

/// <summary>
/// The files of an image folder in torchvision's ImageFolder convention: <c>root/&lt;class&gt;/&lt;file&gt;</c>, or
/// <c>root/train/&lt;class&gt;/…</c> with optional <c>root/val/</c> and <c>root/test/</c> beside it. Classes are the
/// training class folders' names in ordinal order; files are taken from each class folder and its sub-folders, in ordinal
/// order of their path within the class folder. Only .png, .jpg, .jpeg, .bmp and .webp files count (any case); folders
/// whose name starts with '.' are ignored.
/// </summary>
/// <param name="Classes">The class names, by index.</param>
/// <param name="Train">The training images (all images when the folder has no <c>train/</c>).</param>
/// <param name="Validation">The images of <c>val/</c>, or null.</param>
/// <param name="Test">The images of <c>test/</c>, or null.</param>
internal sealed record ImageFolderLayout(IReadOnlyList<string> Classes, IReadOnlyList<ImageFile> Train, IReadOnlyList<ImageFile>? Validation,
    IReadOnlyList<ImageFile>? Test)
{
    /// <summary>File extensions of the images read, lower case.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>Every image of every split, training images first, then validation, then test.</summary>
    public IEnumerable<ImageFile> All => Train.Concat(Validation ?? []).Concat(Test ?? []);

    /// <summary>Finds the classes and files under <paramref name="root"/>; throws <see cref="RecipeException"/> naming what is wrong.</summary>
    public static ImageFolderLayout Scan(string? root)
    {
        if (string.IsNullOrWhiteSpace(root))
            throw new RecipeException("Data:Path is required when Data:Source is 'image-folder': set it to the folder holding one sub-folder of images per class " +
                                      "(or train/, test/ and optionally val/ sub-folders that each hold them).");
        if (!Directory.Exists(root))
            throw new RecipeException($"Data:Path '{root}' is not a folder; set it to the folder holding one sub-folder of images per class.");

        var trainRoot = Path.Combine(root, "train");
        if (!Directory.Exists(trainRoot))
        {
            var classes = ClassFolders(root);
            return new ImageFolderLayout(classes, Files(root, classes, classes, requireEveryClass: true), null, null);
        }

        var trainClasses = ClassFolders(trainRoot);
        var validationRoot = Path.Combine(root, "val");
        var testRoot = Path.Combine(root, "test");
        return new ImageFolderLayout(trainClasses, Files(trainRoot, trainClasses, trainClasses, requireEveryClass: true),
            Directory.Exists(validationRoot) ? Files(validationRoot, ClassFolders(validationRoot), trainClasses, requireEveryClass: false) : null,
            Directory.Exists(testRoot) ? Files(testRoot, ClassFolders(testRoot), trainClasses, requireEveryClass: false) : null);
    }

    private static List<string> ClassFolders(string folder)
    {
        var classes = Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)!).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new RecipeException($"Data:Path: '{folder}' has no class folders; put each class's images in a sub-folder named after the class " +
                                      "(e.g. cat/001.png, dog/002.png).");
        return classes;
    }

    private static List<ImageFile> Files(string folder, List<string> classes, List<string> trainClasses, bool requireEveryClass)
    {
        var files = new List<ImageFile>();
        foreach (var name in classes)
        {
            var label = trainClasses.BinarySearch(name, StringComparer.Ordinal);
            var classFolder = Path.Combine(folder, name);
            if (label < 0)
                throw new RecipeException($"Data:Path: class folder '{classFolder}' has no training counterpart: the training classes are " +
                                          $"{string.Join(", ", trainClasses)}; add its images to train/{name} or remove the folder.");
            var images = Directory.EnumerateFiles(classFolder, "*", SearchOption.AllDirectories)
                .Select(f => (Relative: Path.GetRelativePath(classFolder, f), Full: f))
                .Where(f => IsImage(f.Full) && !Hidden(f.Relative))
                .OrderBy(f => f.Relative, StringComparer.Ordinal)
                .Select(f => new ImageFile(Path.GetFullPath(f.Full), label))
                .ToList();
            if (images.Count == 0 && requireEveryClass)
                throw new RecipeException($"Data:Path: class folder '{classFolder}' holds no image ({string.Join(", ", Extensions)}); " +
                                          "add its images or remove the folder.");
            files.AddRange(images);
        }
        return files;
    }

    /// <summary>True when <paramref name="path"/> has an image extension (<see cref="Extensions"/>, any case).</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static bool Hidden(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).SkipLast(1).Any(part => part.StartsWith('.'));
}
