using System.Globalization;

namespace Operator.Emulator.Tables;

/// <summary>Formats an age the way kubectl and kube-apiserver print it ("45s", "3m20s", "5h", "2d3h", "1y").</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Text($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Text($"{minutes}m") : Text($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 180)
        {
            return Text($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? Text($"{hours}h") : Text($"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return Text($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? Text($"{hours / 24}d") : Text($"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Text($"{hours / 24}d");
        }

        var days = hours / 24;
        if (hours < 24 * 365 * 8)
        {
            return days % 365 == 0 ? Text($"{days / 365}y") : Text($"{days / 365}y{days % 365}d");
        }

        return Text($"{days / 365}y");
    }

    private static string Text(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
