namespace Operator.Runtime.Source;

/// <summary>
/// How informers list and watch. Invariants enforced by <see cref="Validate"/>: whole-second watch timeouts with
/// 1 s &lt;= min &lt;= max, a non-negative inactivity grace, 0 &lt; initial backoff &lt;= max backoff, page size &gt;= 1.
/// Its initial values are the operator's defaults, stated here once.
/// </summary>
public sealed record InformerOptions
{
    /// <summary>The defaults.</summary>
    public static InformerOptions Default { get; } = new();

    /// <summary>Namespaces to watch, one watch each; empty means all namespaces with one watch.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Each watch asks the server to end it after a random time between these (spreads reconnects).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A stream silent for its timeout plus this grace is presumed dead and restarted.</summary>
    public TimeSpan WatchInactivityGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Objects per page of an informer's initial list. Each page is held in memory while it is decoded (pages are
    /// pipelined, so two per informer), and its buffer stays pooled afterwards: smaller pages keep that small.
    /// </summary>
    public int PageSize { get; init; } = 100;

    public void Validate()
    {
        if (MinWatchTimeout < TimeSpan.FromSeconds(1) || MaxWatchTimeout < MinWatchTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(MinWatchTimeout), $"Need 1s <= MinWatchTimeout <= MaxWatchTimeout, got {MinWatchTimeout} and {MaxWatchTimeout}.");
        }

        if (WatchInactivityGrace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WatchInactivityGrace), "WatchInactivityGrace must not be negative.");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialBackoff), $"Need 0 < InitialBackoff <= MaxBackoff, got {InitialBackoff} and {MaxBackoff}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        if (Namespaces.Any(string.IsNullOrWhiteSpace) || Namespaces.Distinct(StringComparer.Ordinal).Count() != Namespaces.Count)
        {
            throw new ArgumentException("Namespaces must be distinct and non-empty.", nameof(Namespaces));
        }
    }
}
