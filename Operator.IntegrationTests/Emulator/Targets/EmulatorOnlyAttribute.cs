// Marks a test (or fixture) that needs what only the in-process emulator offers: fault injection, the audit log of
// requests, its authorization decisions, or cluster-wide changes a shared cluster must not see. It adds the
// category "EmulatorOnly" (so `--filter TestCategory!=EmulatorOnly` and the test output show it) and, on any other
// target, the fixture skips the test with "emulator only: <reason>".
using NUnit.Framework.Interfaces;

namespace Operator.IntegrationTests.Emulator.Targets;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class EmulatorOnlyAttribute(string reason) : NUnitAttribute, IApplyToTest
{
    public const string CategoryName = "EmulatorOnly";
    private const string ReasonProperty = "EmulatorOnlyReason";

    /// <summary>What the test needs that only the in-process emulator offers.</summary>
    public string Reason { get; } = reason;

    public void ApplyToTest(NUnit.Framework.Internal.Test test)
    {
        test.Properties.Add(NUnit.Framework.Internal.PropertyNames.Category, CategoryName);
        test.Properties.Set(ReasonProperty, Reason);
    }

    /// <summary>Skips the running test, with its reason, when it is emulator-only and <paramref name="target"/> is not the in-process emulator.</summary>
    public static void SkipUnlessSupported(ClusterTarget target)
    {
        if (target.InProcessEmulator)
        {
            return;
        }

        for (ITest? test = NUnit.Framework.Internal.TestExecutionContext.CurrentContext.CurrentTest; test is not null; test = test.Parent)
        {
            if (test.Properties.Get(ReasonProperty) is string reason)
            {
                Assert.Ignore($"emulator only, not run on {target.Name}: {reason}");
            }
        }
    }
}
