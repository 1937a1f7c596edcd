using Trainer.Recipes;

namespace Trainer.Tests.Recipes;

public sealed class TransferValidationTests
{
    [Test]
    public void ABlankInitFromIsAnError()
    {
        var recipe = TestTraining.Digits();
        recipe.Model.InitFrom = " ";

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Model:InitFrom is empty: give a model package folder, a run directory, a checkpoint (.ckpt), TorchSharp weights (.dat, .bin) " +
            "or a PyTorch state_dict (.pt, .pth), or leave it out.",
        }));
    }

    [Test]
    public void InitFromSkipWithoutInitFromIsAnError()
    {
        var recipe = TestTraining.Digits();
        recipe.Model.InitFromSkip = ["layers.out.*"];

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Model:InitFromSkip applies only with Model:InitFrom: set Model:InitFrom, or remove Model:InitFromSkip.",
        }));
    }

    [Test]
    public void EmptyPatternsAreErrorsNamingTheirIndex()
    {
        var recipe = TestTraining.Digits();
        recipe.Model.InitFrom = "runs/a";
        recipe.Model.InitFromSkip = ["layers.out.*", ""];
        recipe.Model.Freeze = [" "];

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Model:InitFromSkip:1 is empty; give a tensor name pattern such as \"layers.fc1.*\" (* matches any characters, ? one).",
            "Model:Freeze:0 is empty; give a tensor name pattern such as \"layers.fc1.*\" (* matches any characters, ? one).",
        }));
    }

    [Test]
    public void TheTransferSettingsAreValidWhenGiven()
    {
        var recipe = TestTraining.Digits();
        recipe.Model.InitFrom = "runs/a";
        recipe.Model.InitFromSkip = ["layers.out.*"];
        recipe.Model.Freeze = ["layers.fc1.*"];

        Assert.That(RecipeValidator.Validate(recipe), Is.Empty);
    }
}
