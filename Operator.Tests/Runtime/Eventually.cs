using Microsoft.Extensions.Time.Testing;

namespace Operator.Tests.Runtime;

/// <summary>Polls a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Advances fake time in steps, letting continuations run between steps, until the condition holds.</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, string because, TimeSpan? maxFakeTime = null)
    {
        var limit = time.GetUtcNow() + (maxFakeTime ?? TimeSpan.FromMinutes(5));
        var realDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (time.GetUtcNow() > limit || DateTime.UtcNow > realDeadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            time.Advance(step);
            await Task.Delay(5);
        }
    }
}
