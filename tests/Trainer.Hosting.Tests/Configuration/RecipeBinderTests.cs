using System.Text;
using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Configuration;

public sealed class RecipeBinderTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Test]
    public void TheDownloadAndTrainLimitSettingsBind()
    {
        var recipe = RecipeBinder.Bind(Json(
            """{"Data":{"Source":"fashion-mnist","Download":true,"DownloadUrl":"http://127.0.0.1:8080/fm/","TrainLimit":5000}}"""));

        Assert.That(recipe.Data.Download, Is.True);
        Assert.That(recipe.Data.DownloadUrl, Is.EqualTo("http://127.0.0.1:8080/fm/"));
        Assert.That(recipe.Data.TrainLimit, Is.EqualTo(5000));
    }

    [Test]
    public void TheTableSettingsBindAndDataOptionsAreLeftToThePluginSource()
    {
        var recipe = RecipeBinder.Bind(Json("""
            {"Data":{"Source":"csv","Path":"a.csv","Target":"y","Features":["b","a"],"Categorical":["b"],"Delimiter":";",
                     "MissingValues":"mean","UnseenCategory":"zeros"}}
            """));
        var plugin = RecipeBinder.Bind(Json("""{"Data":{"Source":"my-source","Options":{"Anything":1}}}"""));

        Assert.That((recipe.Data.Target, recipe.Data.Delimiter, recipe.Data.MissingValues, recipe.Data.UnseenCategory), Is.EqualTo(("y", ";", "mean", "zeros")));
        Assert.That(recipe.Data.Features, Is.EqualTo(new[] { "b", "a" }));
        Assert.That(recipe.Data.Categorical, Is.EqualTo(new[] { "b" }));
        Assert.That(plugin.Data.Source, Is.EqualTo("my-source"), "a plugin's name is checked by the catalog, not the binder");
    }

    [Test]
    public void WithoutThemDownloadIsOffAndTheWholeTrainingSplitIsUsed()
    {
        var recipe = RecipeBinder.Bind(Json("""{"Data":{"Source":"fashion-mnist","TrainLimit":null}}"""));

        Assert.That(recipe.Data.Download, Is.False);
        Assert.That(recipe.Data.DownloadUrl, Is.Null);
        Assert.That(recipe.Data.TrainLimit, Is.Null);
    }

    [Test]
    public void BadValuesAreReportedWithTheirPaths()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeBinder.Bind(Json(
            """{"Data":{"Source":"fashion-mnist","Download":"yes","DownloadUrl":"fashion-mnist.example","TrainLimit":"many"}}""")));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            "Data:Download 'yes' is not true or false.",
            "Data:TrainLimit 'many' is not a whole number.",
            "Data:DownloadUrl 'fashion-mnist.example' must be an absolute http or https URL, such as http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/.",
        }));
    }
}
