using Operator.Celery.Broker;

namespace Operator.Tests.Celery;

public sealed class BrokerUrlParserTests
{
    [TestCase("redis", "redis://localhost", "localhost", 6379, 0, false)]
    [TestCase("redis", "redis://:pw@redis.ns.svc:6380/4", "redis.ns.svc", 6380, 4, false)]
    [TestCase("redis", "rediss://user:pw@10.0.0.1:6390/15", "10.0.0.1", 6390, 15, true)]
    [TestCase("redis", "redis://[::1]:7000/2", "[::1]", 7000, 2, false)]
    public void ParsesRedisUrls(string type, string url, string host, int port, int database, bool tls)
    {
        var endpoint = BrokerUrlParser.Parse(type, url).Endpoint;
        Assert.That(endpoint, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(endpoint!.Host, Is.EqualTo(host));
            Assert.That(endpoint.Port, Is.EqualTo(port));
            Assert.That(endpoint.Database, Is.EqualTo(database));
            Assert.That(endpoint.Tls, Is.EqualTo(tls));
        });
    }

    [TestCase("amqp://guest:guest@rabbit:5672//", "rabbit", 5672, "/", false)]
    [TestCase("amqp://u:p@rabbit/", "rabbit", 5672, "/", false)]
    [TestCase("amqps://u:p@rabbit/prod", "rabbit", 5671, "prod", true)]
    [TestCase("pyamqp://u:p@rabbit:5673/a%2Fb", "rabbit", 5673, "a/b", false)]
    public void ParsesAmqpUrlsLikeKombu(string url, string host, int port, string vhost, bool tls)
    {
        var endpoint = BrokerUrlParser.Parse("rabbitmq", url).Endpoint;
        Assert.That(endpoint, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(endpoint!.Host, Is.EqualTo(host));
            Assert.That(endpoint.Port, Is.EqualTo(port));
            Assert.That(endpoint.VirtualHost, Is.EqualTo(vhost));
            Assert.That(endpoint.Tls, Is.EqualTo(tls));
        });
    }

    [Test]
    public void ParsesSqsCredentials()
    {
        var endpoint = BrokerUrlParser.Parse("sqs", "sqs://AKIAEXAMPLE:wJalr%2FK7MDENG@").Endpoint;
        Assert.Multiple(() =>
        {
            Assert.That(endpoint?.Username, Is.EqualTo("AKIAEXAMPLE"));
            Assert.That(endpoint?.Password, Is.EqualTo("wJalr/K7MDENG"));
        });
    }

    [TestCase("sqs://AKIAEXAMPLE:secret@", "", null, true)]
    [TestCase("sqs://", "", null, true)]
    [TestCase("sqs://AKIAEXAMPLE:secret@localhost:4566", "localhost", 4566, false)]
    [TestCase("sqs://AKIAEXAMPLE:secret@sqs.internal.example", "sqs.internal.example", null, false)]
    public void AnSqsUrlsHostIsKombusEndpointOverHttpAndItsAbsenceIsAws(string url, string host, int? port, bool tls)
    {
        var endpoint = BrokerUrlParser.Parse("sqs", url).Endpoint!;
        Assert.That((endpoint.Host, endpoint.Port, endpoint.Tls), Is.EqualTo((host, port, tls)));
    }

    [Test]
    public void AnSqsEndpointShowsItsRegionAndHostButNoKey()
    {
        var endpoint = BrokerUrlParser.Parse("sqs", "sqs://AKIAEXAMPLE:secretpw@localhost:4566").Endpoint! with { Region = "eu-west-1" };
        Assert.That(endpoint.ToString(), Is.EqualTo("sqs://***@localhost:4566 region eu-west-1"));
    }

    [TestCase("sqs", "sqs://AKIAEXAMPLE:secretpw@bad host:1", "not a valid host")]
    [TestCase("sqs", "sqs://AKIAEXAMPLE:secretpw@localhost:0", "port")]
    [TestCase("redis", "", "empty")]
    [TestCase("redis", "localhost:6379", "no scheme")]
    [TestCase("redis", "http://:secretpw@host", "unsupported broker URL scheme")]
    [TestCase("redis", "amqp://u:secretpw@host//", "does not match")]
    [TestCase("rabbitmq", "redis://:secretpw@host/0", "does not match")]
    [TestCase("redis", "redis://:secretpw@host:99999/0", "port")]
    [TestCase("redis", "redis://:secretpw@host:6379/db", "database number")]
    [TestCase("redis", "redis://:secretpw@/0", "no host")]
    [TestCase("redis", "redis://:secretpw@bad host:1/0", "not a valid host")]
    [TestCase("kafka", "kafka://secretpw@host", "unsupported broker type")]
    public void MalformedUrlsGiveAClearErrorWithoutTheSecret(string type, string url, string expected)
    {
        var result = BrokerUrlParser.Parse(type, url);
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain(expected));
            Assert.That(result.Error, Does.Not.Contain("secretpw"));
        });
    }

    [Test]
    public void EndpointsPrintWithoutCredentials()
    {
        var endpoint = BrokerUrlParser.Parse("redis", "redis://admin:topsecret@r:6379/1").Endpoint!;
        Assert.Multiple(() =>
        {
            Assert.That(endpoint.ToString(), Does.Not.Contain("topsecret").And.Not.Contain("admin"));
            Assert.That(endpoint.ToString(), Does.Contain("r:6379/1"));
        });
    }

    [Test]
    public void AFailoverListIsParsedLikeKombuAndTheFirstUrlIsUsed()
    {
        var endpoint = BrokerUrlParser.Parse("rabbitmq", "amqp://u:p1@h1:5672/v;amqp://u:p2@h2:5673/v").Endpoint;
        Assert.That(endpoint, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(endpoint!.Host, Is.EqualTo("h1"));
            Assert.That(endpoint.Port, Is.EqualTo(5672));
            Assert.That(endpoint.VirtualHost, Is.EqualTo("v"));
            Assert.That(endpoint.Password, Is.EqualTo("p1"));
            Assert.That(endpoint.Url, Is.EqualTo("amqp://u:p1@h1:5672/v"));
            Assert.That(endpoint.FailoverUrls, Is.EqualTo(1));
            Assert.That(endpoint.ToString(), Does.Not.Contain("p1").And.Not.Contain("p2").And.Contain("h1:5672 vhost v"));
        });
    }

    [Test]
    public void AMalformedFailoverUrlIsAnErrorWithoutTheSecret()
    {
        var result = BrokerUrlParser.Parse("redis", "redis://:secretpw@r1:6379/0;redis://:secretpw@r2:notaport/0");
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain("failover URL 2 of 2").And.Contain("port"));
            Assert.That(result.Error, Does.Not.Contain("secretpw"));
        });
    }
}
