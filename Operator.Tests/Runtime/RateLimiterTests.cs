using Microsoft.Extensions.Time.Testing;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

public sealed class RateLimiterTests
{
    [Test]
    public void ExponentialBackoffDoublesFromBaseAndCapsAtMax()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var delays = Enumerable.Range(0, 5).Select(_ => limiter.When("a")).ToList();
        Assert.That(delays, Is.EqualTo(new[] { 5, 10, 20, 40, 80 }.Select(ms => TimeSpan.FromMilliseconds(ms))));
        Assert.That(limiter.NumRequeues("a"), Is.EqualTo(5));
        Assert.That(limiter.When("b"), Is.EqualTo(TimeSpan.FromMilliseconds(5)), "items keep separate counts");

        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.That(limiter.When("a"), Is.EqualTo(TimeSpan.FromSeconds(1000)));
    }

    [Test]
    public void ForgetResetsTheBackoff()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("a");
        limiter.When("a");
        limiter.Forget("a");
        Assert.That(limiter.NumRequeues("a"), Is.Zero);
        Assert.That(limiter.When("a"), Is.EqualTo(TimeSpan.FromMilliseconds(5)));
    }

    [Test]
    public void TokenBucketAllowsTheBurstThenPacesAtTheRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(10, 100, time);
        for (var i = 0; i < 100; i++)
        {
            Assert.That(limiter.When("x"), Is.EqualTo(TimeSpan.Zero), $"token {i} is within the burst");
        }

        Assert.That(limiter.When("x").TotalMilliseconds, Is.EqualTo(100).Within(0.001));
        Assert.That(limiter.When("x").TotalMilliseconds, Is.EqualTo(200).Within(0.001));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Enumerable.Range(0, 8).Select(_ => limiter.When("x")), Is.All.EqualTo(TimeSpan.Zero), "one second refilled 10 tokens over a debt of 2");
        Assert.That(limiter.When("x").TotalMilliseconds, Is.EqualTo(100).Within(0.001));
    }

    [Test]
    public void TokenBucketNeverHoldsMoreThanTheBurst()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(10, 3, time);
        time.Advance(TimeSpan.FromHours(1));
        Assert.That(Enumerable.Range(0, 3).Select(_ => limiter.When("x")), Is.All.EqualTo(TimeSpan.Zero));
        Assert.That(limiter.When("x").TotalMilliseconds, Is.EqualTo(100).Within(0.001));
    }

    [Test]
    public void MaxOfTakesTheLongestDelayAndForgetsInAll()
    {
        var time = new FakeTimeProvider();
        var limiter = ControllerRateLimiter.Create<string>(new RateLimiterOptions { QueriesPerSecond = 1, Burst = 1 }, time);

        Assert.That(limiter.When("a"), Is.EqualTo(TimeSpan.FromMilliseconds(5)), "the bucket allows it; the backoff wins");
        Assert.That(limiter.When("b").TotalSeconds, Is.EqualTo(1).Within(0.001), "the bucket is empty; it wins");
        Assert.That(limiter.NumRequeues("a"), Is.EqualTo(1));
        limiter.Forget("a");
        Assert.That(limiter.NumRequeues("a"), Is.Zero);
    }

    [Test]
    public void OptionsRejectNonsense()
    {
        Assert.That(() => new RateLimiterOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RateLimiterOptions { Burst = 0 }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void RateLimitingQueueNeverDropsAnItemThatKeepsFailing()
    {
        var time = new FakeTimeProvider();
        using var queue = new RateLimitingQueue<string>("test", new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)), time);
        for (var i = 0; i < 50; i++)
        {
            queue.AddRateLimited("a");
        }

        Assert.That(queue.NumRequeues("a"), Is.EqualTo(50));
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.That(queue.Length, Is.EqualTo(1), "the earliest retry time is kept");
    }
}
