// Marks a test (or fixture) that runs the real kubectl. It adds the category "Kubectl" (so `--filter
// TestCategory!=Kubectl` leaves them out) and, where kubectl is not installed, skips the test with where kubectl was
// looked for, before any setup runs: the one place the suite decides that kubectl is missing.
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Operator.IntegrationTests.Emulator;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequiresKubectlAttribute : NUnitAttribute, IApplyToTest
{
    public const string CategoryName = "Kubectl";

    public void ApplyToTest(Test test)
    {
        ArgumentNullException.ThrowIfNull(test);
        test.Properties.Add(PropertyNames.Category, CategoryName);
        if (test.RunState is not RunState.NotRunnable && KubectlRunner.Missing is { } reason)
        {
            test.RunState = RunState.Ignored;
            test.Properties.Set(PropertyNames.SkipReason, reason);
        }
    }
}
