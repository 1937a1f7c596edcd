namespace Trainer.Plugins.ImageFolder;

/// <summary>One image of an image folder: its file and its class index.</summary>
/// <param name="Path">The image file's full path.</param>
/// <param name="Label">The index of its class folder in the sorted class names.</param>
internal readonly record struct ImageFile(string Path, int Label);
