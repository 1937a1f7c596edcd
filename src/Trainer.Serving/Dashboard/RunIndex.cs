namespace Trainer.Serving.Dashboard;

/// <summary>
/// The run directories the dashboard shows, found afresh on each request (runs appear while it serves): every folder
/// below the runs folder that holds a run's first files (symbolic links are not followed), plus the trial directories a study store names. Each gets an
/// id for URLs: its run id, or where two folders share one (trial-0000 of two studies), its path with '~' for '/'.
/// </summary>
internal sealed class RunIndex(string root, Func<IEnumerable<string>> extraDirectories)
{
    private const int MaxDepth = 6;
    private static readonly StringComparer PathComparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
    private static readonly HashSet<string> NotRuns = new(Trainer.Runs.RunFiles.Folders.Append("node_modules"), StringComparer.OrdinalIgnoreCase);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Every run directory by its id.</summary>
    public IReadOnlyDictionary<string, string> Scan()
    {
        var directories = new List<string>();
        if (Directory.Exists(Root)) Walk(Root, 0, directories);
        foreach (var extra in extraDirectories())
        {
            var full = Path.GetFullPath(extra);
            if (IsRun(full) && !directories.Contains(full, PathComparer)) directories.Add(full);
        }
        var named = directories.Select(d => (Directory: d, Id: RunReader.RunIdOf(d))).ToList();
        var duplicated = named.GroupBy(n => n.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (directory, id) in named)
            index[duplicated.Contains(id) ? PathId(directory) : id] = directory;
        return index;
    }

    /// <summary>The directory of run <paramref name="id"/>, or null.</summary>
    public string? Find(string id) => Scan().TryGetValue(id, out var directory) ? directory : null;

    /// <summary>The id of the run in <paramref name="directory"/> within <paramref name="index"/>, or null.</summary>
    public static string? IdOf(IReadOnlyDictionary<string, string> index, string directory)
    {
        var full = Path.GetFullPath(directory);
        foreach (var (id, path) in index)
            if (PathComparer.Equals(path, full)) return id;
        return null;
    }

    /// <summary>The directory as the list shows it: relative to the runs folder when inside it.</summary>
    public string Display(string directory)
    {
        var relative = Path.GetRelativePath(Root, directory);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? directory : relative.Replace('\\', '/');
    }

    private string PathId(string directory) =>
        Display(directory).Replace('\\', '/').Replace('/', '~').Replace(':', '~');

    private static bool IsLink(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static bool IsRun(string directory) => Trainer.Runs.RunFiles.IsRun(directory);

    private static void Walk(string directory, int depth, List<string> found)
    {
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var child in children)
        {
            if (NotRuns.Contains(Path.GetFileName(child))) continue;
            if (IsLink(child)) continue; // a link could lead out of the runs folder
            if (IsRun(child)) found.Add(Path.GetFullPath(child));
            else if (depth + 1 < MaxDepth) Walk(child, depth + 1, found);
        }
    }
}
