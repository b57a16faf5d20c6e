using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class SchemaValidationTests
{
    private static readonly TypeSchema App = CustomSchemaFixture.Create();

    private static IReadOnlyList<FieldError> Errors(string spec) =>
        App.Validate(Obj("""{"apiVersion":"celery.example.com/v1","kind":"CeleryApp","metadata":{"name":"a"},"spec":""" + spec + "}"));

    private static FieldError Single(string spec)
    {
        var errors = Errors(spec);
        Assert.That(errors, Has.Count.EqualTo(1), () => string.Join("\n", errors));
        return errors[0];
    }

    [Test]
    public void AValidObjectHasNoErrors() =>
        Assert.That(Errors("""{"broker":"redis://x","mode":"fast","replicas":3,"ratio":0.5,"note":null,"port":"http","tags":["a"],"workers":[{"name":"w"}],"settings":{"a":1}}"""), Is.Empty);

    [Test]
    public void MissingRequiredField() =>
        Assert.That(Single("""{}"""), Is.EqualTo(new FieldError("spec.broker", "FieldValueRequired", "Required value")));

    [Test]
    public void RequiredFieldInAListItemIsNamedByIndex() =>
        Assert.That(Single("""{"broker":"redis://x","workers":[{"name":"a"},{"replicas":1}]}"""),
            Is.EqualTo(new FieldError("spec.workers[1].name", "FieldValueRequired", "Required value")));

    [Test]
    public void WrongType() =>
        Assert.That(Single("""{"broker":"redis://x","replicas":"three"}"""), Is.EqualTo(new FieldError(
            "spec.replicas", "FieldValueTypeInvalid", "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")));

    [Test]
    public void WrongTypeInsideAListItem() =>
        Assert.That(Single("""{"broker":"redis://x","workers":[{"name":"a","replicas":1.5}]}"""), Is.EqualTo(new FieldError(
            "spec.workers[0].replicas", "FieldValueTypeInvalid", "Invalid value: \"number\": spec.workers[0].replicas in body must be of type integer: \"number\"")));

    [Test]
    public void EnumValue() =>
        Assert.That(Single("""{"broker":"redis://x","mode":"slow"}"""), Is.EqualTo(new FieldError(
            "spec.mode", "FieldValueNotSupported", "Unsupported value: \"slow\": supported values: \"fast\", \"safe\"")));

    [Test]
    public void Bounds()
    {
        Assert.That(Single("""{"broker":"redis://x","replicas":11}"""), Is.EqualTo(new FieldError(
            "spec.replicas", "FieldValueInvalid", "Invalid value: 11: spec.replicas in body should be less than or equal to 10")));
        Assert.That(Single("""{"broker":"redis://x","replicas":0}"""), Is.EqualTo(new FieldError(
            "spec.replicas", "FieldValueInvalid", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1")));
        Assert.That(Single("""{"broker":"redis://x","ratio":1}""").Message, Is.EqualTo("Invalid value: 1: spec.ratio in body should be less than 1"));
        Assert.That(Single("""{"broker":"redis://x","ratio":0}""").Message, Is.EqualTo("Invalid value: 0: spec.ratio in body should be greater than 0"));
    }

    [Test]
    public void Int32Format() =>
        Assert.That(Single("""{"broker":"redis://x","replicas":5000000000}""").Reason, Is.EqualTo("FieldValueTypeInvalid"));

    [Test]
    public void StringLengthAndPattern()
    {
        Assert.That(Single("""{"broker":"redis://0123456789012345"}"""), Is.EqualTo(new FieldError(
            "spec.broker", "FieldValueTooLong", "Too long: may not be more than 20 bytes")));
        var errors = Errors("""{"broker":"ab"}""");
        Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[]
        {
            "Invalid value: \"ab\": spec.broker in body should be at least 3 chars long",
            "Invalid value: \"ab\": spec.broker in body should match '^redis://'",
        }));
    }

    [Test]
    public void ListSizeAndDuplicates()
    {
        Assert.That(Single("""{"broker":"redis://x","tags":["a","b","c","d"]}"""), Is.EqualTo(new FieldError(
            "spec.tags", "FieldValueTooMany", "Too many: 4: must have at most 3 items")));
        Assert.That(Single("""{"broker":"redis://x","workers":[]}""").Message, Is.EqualTo("Invalid value: 0: spec.workers in body should have at least 1 items"));
        Assert.That(Single("""{"broker":"redis://x","tags":["a","a"]}"""), Is.EqualTo(new FieldError("spec.tags[1]", "FieldValueDuplicate", "Duplicate value: \"a\"")));
        Assert.That(Single("""{"broker":"redis://x","workers":[{"name":"w"},{"name":"w"}]}""").Message, Is.EqualTo("Duplicate value: {\"name\":\"w\"}"));
    }

    [Test]
    public void NullableAndIntOrString()
    {
        Assert.That(Single("""{"broker":"redis://x","mode":null}""").Message, Is.EqualTo("Invalid value: \"null\": spec.mode in body must be of type string: \"null\""));
        Assert.That(Errors("""{"broker":"redis://x","port":8080}"""), Is.Empty);
        Assert.That(Single("""{"broker":"redis://x","port":true}""").Reason, Is.EqualTo("FieldValueTypeInvalid"));
    }

    [Test]
    public void MapValuesAreValidatedByAdditionalProperties() =>
        Assert.That(Single("""{"broker":"redis://x","settings":{"a":"x"}}""").Path, Is.EqualTo("spec.settings.a"));

    [Test]
    public void EmbeddedResourceRequiresApiVersionAndKind() =>
        Assert.That(Errors("""{"broker":"redis://x","template":{"metadata":{"name":"t"}}}""").Select(e => e.Path),
            Is.EqualTo(new[] { "spec.template.apiVersion", "spec.template.kind" }));

    [Test]
    public void BuiltInRequiredFields()
    {
        var deployment = SchemaRegistry.CreateBuiltIn().Get("apps", "v1", "Deployment");
        var errors = deployment.Validate(Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"selector":{},"template":{"spec":{"containers":[{"name":"app"}]}}}}
            """));
        Assert.That(errors, Is.EqualTo(new[] { new FieldError("spec.template.spec.containers[0].image", "FieldValueRequired", "Required value") }));
    }

    [Test]
    public void BuiltInQuantitiesAcceptNumbersAndStrings()
    {
        var deployment = SchemaRegistry.CreateBuiltIn().Get("apps", "v1", "Deployment");
        var errors = deployment.Validate(Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"selector":{},"template":{"spec":{"containers":[{"name":"app","image":"a","resources":{"limits":{"cpu":0.5,"memory":"128Mi"}}}]}}}}
            """));
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void RejectsUnreadableSchemas()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        Assert.Throws<ArgumentException>(() => registry.RegisterCustom("g", "v1", "K", Obj("""{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object"}}""")));
        Assert.Throws<ArgumentException>(() => registry.RegisterCustom("g", "v1", "K", Obj("""{"type":"string","pattern":"("}""")));
        Assert.That(registry.Contains("g", "v1", "K"), Is.False);
    }
}
