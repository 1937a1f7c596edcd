using System.Text;
using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class HyperbandBracketsTests
{
    // Optuna: n = floor(log_η(max/min)) + 1; budget(b) = ceil(n·η^s / (s + 1)), s = n − 1 − b. By hand:
    // (1, 81, 3): n = 5; s = 4..0: 5·81/5 = 81, 5·27/4 = 33.75 → 34, 5·9/3 = 15, 5·3/2 = 7.5 → 8, 5·1/1 = 5.
    // (1, 27, 3): n = 4; s = 3..0: 4·27/4 = 27, 4·9/3 = 12, 4·3/2 = 6, 4.
    // (2, 32, 2): 32/2 = 16 = 2^4, n = 5; s = 4..0: 5·16/5 = 16, 5·8/4 = 10, 5·4/3 = 6.67 → 7, 5·2/2 = 5, 5.
    // (2, 20, 3): 20/2 = 10, log_3 10 = 2.1, n = 3; s = 2..0: 3·9/3 = 9, 3·3/2 = 4.5 → 5, 3.
    [TestCase(1, 81, 3, new[] { 81, 34, 15, 8, 5 }, 143)]
    [TestCase(1, 27, 3, new[] { 27, 12, 6, 4 }, 49)]
    [TestCase(2, 32, 2, new[] { 16, 10, 7, 5, 5 }, 43)]
    [TestCase(2, 20, 3, new[] { 9, 5, 3 }, 17)]
    [TestCase(5, 5, 3, new[] { 1 }, 1)]
    public void CountAndBudgetsFollowOptunasFormula(int min, int max, int eta, int[] budgets, int total)
    {
        var brackets = new HyperbandBrackets(min, max, eta);

        Assert.That(brackets.Count, Is.EqualTo(budgets.Length));
        Assert.That(brackets.Budgets, Is.EqualTo(budgets));
        Assert.That(brackets.TotalBudget, Is.EqualTo(total));
    }

    [Test]
    public void EachBracketsRungsStartAtMinTimesEtaToItsIndexAndStayBelowMax()
    {
        var brackets = new HyperbandBrackets(1, 81, 3);

        Assert.That(Enumerable.Range(0, 5).Select(brackets.Rungs), Is.EqualTo(new[]
        {
            new[] { 1, 3, 9, 27 }, new[] { 3, 9, 27 }, new[] { 9, 27 }, new[] { 27 }, Array.Empty<int>(),
        }));
        Assert.That(new HyperbandBrackets(2, 32, 2).Rungs(1), Is.EqualTo(new[] { 4, 8, 16 }));
    }

    [Test]
    public void Crc32IsZlibs()
    {
        // The CRC-32 check value, and zlib.crc32(b"digits-search_0") from Python.
        Assert.That(HyperbandBrackets.Crc32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
        Assert.That(HyperbandBrackets.Crc32(Encoding.ASCII.GetBytes("digits-search_0")), Is.EqualTo(337414828u));
    }

    [Test]
    public void TheBracketOfATrialIsOptunasAndTheSameEveryTime()
    {
        // Optuna's _get_bracket_id for these studies and trials 0..11, from Python (zlib.crc32 of "study_number").
        var brackets = new HyperbandBrackets(1, 81, 3);
        var expected = new[] { 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0 };

        Assert.That(Enumerable.Range(0, 12).Select(n => brackets.BracketOf("digits-search", n)), Is.EqualTo(expected));
        Assert.That(Enumerable.Range(0, 12).Select(n => new HyperbandBrackets(1, 81, 3).BracketOf("digits-search", n)), Is.EqualTo(expected));
        Assert.That(Enumerable.Range(0, 5).Select(n => new HyperbandBrackets(2, 32, 2).BracketOf("x", n)), Is.EqualTo(new[] { 4, 4, 0, 0, 1 }));
    }

    [Test]
    public void BracketsGetTrialsInProportionToTheirBudgets()
    {
        var brackets = new HyperbandBrackets(1, 81, 3);
        const int trials = 14300;

        var counts = Enumerable.Range(0, trials).GroupBy(n => brackets.BracketOf("s", n)).ToDictionary(g => g.Key, g => g.Count());

        // Expected shares 81/143, 34/143, 15/143, 8/143, 5/143 (100·budget trials each); within 10% of each.
        for (var b = 0; b < brackets.Count; b++)
            Assert.That(counts[b], Is.EqualTo(100 * brackets.Budgets[b]).Within(10).Percent, $"bracket {b}");
    }

    [TestCase(0, 10, 3)]
    [TestCase(5, 4, 3)]
    [TestCase(1, 10, 1)]
    public void ImpossibleResourcesAreRefused(int min, int max, int eta) =>
        Assert.That(() => new HyperbandBrackets(min, max, eta), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
