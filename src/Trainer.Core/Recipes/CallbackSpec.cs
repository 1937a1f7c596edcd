namespace Trainer.Recipes;

/// <summary>
/// One entry of a recipe's <c>Callbacks</c> list. Its <c>Options</c> object is not bound here: the plugin catalog
/// binds it to the plugin's own options type, read from configuration path <c>Callbacks:N:Options</c>.
/// </summary>
public sealed class CallbackSpec
{
    /// <summary>The plugin's name as the catalog knows it, e.g. "EarlyStopping". Required.</summary>
    public string Type { get; set; } = "";
}
