namespace Trainer.Data;

/// <summary>
/// What a table's encoding fitted on the training rows, so a trained model's inputs can be prepared the same way: the
/// target, its classes, each feature column's encoding and the resulting input names (written to a run's
/// <c>table.json</c>).
/// </summary>
/// <param name="Target">The target column's name.</param>
/// <param name="Classes">The classes of a target of names, by index (ordinal order); null for a numeric target.</param>
/// <param name="Columns">The feature columns in input order, with their encoding.</param>
/// <param name="Features">The names of the model's inputs, in order (a categorical column's as <c>column=category</c>).</param>
/// <param name="Delimiter">The field delimiter.</param>
/// <param name="MissingValues">What an empty feature value became: <c>error</c> or <c>mean</c>.</param>
/// <param name="UnseenCategory">What an unseen category became: <c>error</c> or <c>zeros</c>.</param>
public sealed record TableSchema(string Target, IReadOnlyList<string>? Classes, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> Features,
    string Delimiter, string MissingValues, string UnseenCategory);
