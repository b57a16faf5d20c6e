namespace Operator.Runtime.LeaderElection;

/// <summary>Another writer changed or created the lease first (HTTP 409): this attempt lost the race.</summary>
public sealed class LeaseConflictException : Exception
{
    public LeaseConflictException()
    {
    }

    public LeaseConflictException(string message)
        : base(message)
    {
    }

    public LeaseConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
