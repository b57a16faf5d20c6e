// The message of the one Event that reports every child a reconcile changed in the same way. Invariant: the
// message fits the API's limit for an Event note (1 kB), naming as many children as fit and counting the rest.
using Operator.Runtime.Apply;

namespace Operator.Celery.Reconciliation;

/// <summary>Formats "Created Deployment a, Service b" for one kind of change.</summary>
public static class ChildOutcomeSummary
{
    public const int MaxLength = 1024;

    public static string Describe(ChildAction action, IReadOnlyList<ChildOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var text = new System.Text.StringBuilder(action.ToString());
        for (var i = 0; i < outcomes.Count; i++)
        {
            var item = $"{(i == 0 ? " " : ", ")}{outcomes[i].Kind} {outcomes[i].Name}";
            var rest = outcomes.Count - i;
            var suffix = $" and {rest} more";
            // Keep room for the "and N more" tail unless this is the last item.
            if (text.Length + item.Length + (rest > 1 ? suffix.Length : 0) > MaxLength)
            {
                return text.Append(suffix).ToString();
            }

            text.Append(item);
        }

        return text.ToString();
    }
}
