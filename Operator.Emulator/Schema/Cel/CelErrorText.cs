// Evaluation errors of the Cel package in the words of cel-go (which kube-apiserver reports), where the two
// libraries' errors correspond; other errors keep the Cel package's message.
using System.Text.RegularExpressions;
using Cel;

namespace Operator.Emulator.Schema.Cel;

internal static partial class CelErrorText
{
    public static string Of(Exception error) => error switch
    {
        CelNoSuchFieldException when MissingField().Match(error.Message) is { Success: true } match => $"no such key: {match.Groups[1].Value}",
        CelDivideByZeroException => "division by zero",
        _ => error.Message,
    };

    [GeneratedRegex("select field '([^']*)'")]
    private static partial Regex MissingField();
}
