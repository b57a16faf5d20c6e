using System.Reflection;
using Operator.Benchmarks;

namespace Operator.Tests.Benchmarks;

public sealed class ResultTableTests
{
    // The table prints the measurements of Measurement.All, in its order: one left out of it is measured and lost.
    [Test]
    public void EveryMeasurementIsInTheTablesOrder()
    {
        var declared = typeof(Measurement).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Measurement))
            .Select(f => (Measurement)f.GetValue(null)!)
            .ToList();

        Assert.That(Measurement.All, Is.EquivalentTo(declared));
    }

    [Test]
    public void ALiveHeapMeasurementIsPrinted()
    {
        var table = new ResultTable();
        table.Add(10, Measurement.LiveHeapPerObject, 1717);
        var machine = MachineDescription.Current();

        Assert.That(table.Render(machine, BenchmarkOptions.Parse(["--sizes", "10"])), Does.Contain("| 10 | live heap growth per cached object | 1717 |"));
    }
}
