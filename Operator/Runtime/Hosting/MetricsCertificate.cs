using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Operator.Runtime.Hosting;

/// <summary>
/// The certificate the metrics port presents. From <see cref="MetricsOptions.CertDir"/>: <c>tls.crt</c> and
/// <c>tls.key</c> (PEM, the keys of a kubernetes.io/tls Secret), read at start-up and re-read when their content
/// changes, so a certificate cert-manager renews (or any update of the mounted Secret) is served without a restart.
/// The files are compared at most once a second, on a TLS handshake: Kubernetes swaps a Secret volume's files
/// through a symlink, which file-system watchers do not reliably report. A pair that does not load (half written,
/// key and certificate not matching) keeps the previous certificate and is logged. Without a directory: a
/// self-signed certificate for localhost made at start-up, as controller-runtime does; scrapers then skip
/// verification (the token, not the certificate, is what authenticates the scraper).
/// </summary>
public sealed partial class MetricsCertificate
{
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly string? directory;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private X509Certificate2 current;
    private (byte[] Certificate, byte[] Key) loadedFiles;
    private DateTimeOffset nextCheck;

    private MetricsCertificate(string? directory, X509Certificate2 current, (byte[], byte[]) loadedFiles, TimeProvider time, ILogger logger)
    {
        this.directory = directory;
        this.current = current;
        this.loadedFiles = loadedFiles;
        this.time = time;
        this.logger = logger;
        nextCheck = time.GetUtcNow() + RecheckInterval;
    }

    /// <summary>The certificate to present now (re-reading the files when due).</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (directory is not null && time.GetUtcNow() >= nextCheck)
            {
                lock (gate)
                {
                    if (time.GetUtcNow() >= nextCheck)
                    {
                        ReloadIfChanged(directory);
                        nextCheck = time.GetUtcNow() + RecheckInterval;
                    }
                }
            }

            return current;
        }
    }

    /// <summary>Loads the certificate of <paramref name="options"/>, or makes a self-signed one.</summary>
    /// <exception cref="ArgumentException">The certificate directory does not hold a usable pair.</exception>
    public static MetricsCertificate Create(MetricsOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrEmpty(options.CertDir))
        {
            return new MetricsCertificate(null, SelfSigned(time.GetUtcNow()), ([], []), time, logger);
        }

        try
        {
            var files = Read(options.CertDir);
            return new MetricsCertificate(options.CertDir, Load(files), files, time, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"Metrics:CertDir: cannot load {CertificateFile} and {KeyFile} from {options.CertDir}: {e.Message}", "Metrics:CertDir", e);
        }
    }

    private void ReloadIfChanged(string from)
    {
        try
        {
            var files = Read(from);
            if (files.Certificate.AsSpan().SequenceEqual(loadedFiles.Certificate) && files.Key.AsSpan().SequenceEqual(loadedFiles.Key))
            {
                return;
            }

            // The replaced certificate is not disposed: a handshake that read it a moment ago may still be using it.
            current = Load(files);
            loadedFiles = files;
            LogReloaded(logger, current.Subject, current.NotAfter.ToUniversalTime());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            LogNotReloaded(logger, from, e.Message);
        }
    }

    private static (byte[] Certificate, byte[] Key) Read(string from) =>
        (File.ReadAllBytes(Path.Combine(from, CertificateFile)), File.ReadAllBytes(Path.Combine(from, KeyFile)));

    private static X509Certificate2 Load((byte[] Certificate, byte[] Key) files)
    {
        using var pem = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(files.Certificate), System.Text.Encoding.ASCII.GetString(files.Key));
        // Through PKCS#12 so the key is usable by TLS on every platform, not only where ephemeral keys are.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 SelfSigned(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=celery-operator-metrics", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics certificate reloaded: {Subject}, valid until {NotAfter:O}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics certificate in {Directory} changed but does not load, still serving the previous one: {Reason}")]
    private static partial void LogNotReloaded(ILogger logger, string directory, string reason);
}
