using Operator.Primitives;

namespace Operator.Tests.Primitives;

public sealed class QuantityTests
{
    [TestCase("1000m", 1)]
    [TestCase("0.5Gi", 536870912)]
    [TestCase("512Mi", 536870912)]
    [TestCase("1e3", 1000)]
    [TestCase("1.5k", 1500)]
    [TestCase("250m", 0.25)]
    [TestCase("-2", -2)]
    [TestCase("+.5", 0.5)]
    public void ReadsQuantities(string text, decimal expected)
    {
        Assert.That(Quantity.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCase("2Ei", "2305843009213693952")]
    [TestCase("1E", "1000000000000000000")]
    [TestCase("1.5Pi", "1688849860263936")]
    public void ReadsLargeQuantitiesExactly(string text, string expected)
    {
        Assert.That(Quantity.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("12e345678")]
    [TestCase("1Qi")]
    [TestCase("1mi")]
    [TestCase("1 Mi")]
    [TestCase("Mi")]
    [TestCase("worker")]
    [TestCase("3f2a9c10")]
    [TestCase("")]
    public void LeavesOtherStringsAlone(string text) => Assert.That(Quantity.TryParse(text, out _), Is.False);

    [Test]
    public void ADecimalThatCannotHoldTheValueIsNoQuantityRatherThanAnOverflow() =>
        Assert.That(Quantity.TryParse("99999999999999999999999999E", out _), Is.False);

    [TestCase("512Mi", 536870912L)]
    [TestCase("100Ki", 102400L)]
    [TestCase("1G", 1000000000L)]
    [TestCase("4096", 4096L)]
    [TestCase("0.5Ki", 512L)]
    [TestCase("1e3", 1000L)]
    [TestCase("0", 0L)]
    [TestCase("7Ei", 8070450532247928832L)]
    public void ReadsByteCounts(string text, long expected) => Assert.That(Quantity.ParseByteCount(text, "--size"), Is.EqualTo(expected));

    [TestCase("12x", "--size: '12x' is not a quantity; write a number of bytes with an optional suffix, e.g. 512Mi, 100Ki, 1G or 4096")]
    [TestCase("512MB", "--size: '512MB' is not a quantity; write a number of bytes with an optional suffix, e.g. 512Mi, 100Ki, 1G or 4096")]
    [TestCase("-1Mi", "--size: '-1Mi' is not a whole number of bytes between 0 and 9223372036854775807")]
    [TestCase("100m", "--size: '100m' is not a whole number of bytes between 0 and 9223372036854775807")]
    [TestCase("0.3Ki", "--size: '0.3Ki' is not a whole number of bytes between 0 and 9223372036854775807")]
    [TestCase("8Ei", "--size: '8Ei' is not a whole number of bytes between 0 and 9223372036854775807")]
    public void RefusesWhatIsNoByteCountNamingTheOption(string text, string message) =>
        Assert.That(() => Quantity.ParseByteCount(text, "--size"), Throws.TypeOf<FormatException>().With.Message.EqualTo(message));
}
