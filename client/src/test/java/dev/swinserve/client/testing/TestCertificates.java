package dev.swinserve.client.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (never committed): a CA, and leaves it signs for 127.0.0.1 and
 * localhost (servers) or a client name, written as the PEM files {@code tls:} reads.
 */
public final class TestCertificates {

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, KeyPair keys) {

    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** Writes {@code <name>.crt} (chain: this certificate) and {@code <name>.key}, atomically. */
    public PemFiles written(Path folder, String name) throws IOException {
      Path chain = folder.resolve(name + ".crt");
      Path key = folder.resolve(name + ".key");
      writeAtomically(chain, pem(certificate));
      writeAtomically(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
      return new PemFiles(chain, key);
    }
  }

  /** Where an issued certificate's chain and key were written. */
  public record PemFiles(Path chain, Path key) {}

  /** A self-signed CA. */
  public static final class Authority {
    private final Issued self;

    public Authority(String name) throws GeneralSecurityException {
      KeyPair keys = keys();
      X500Name subject = new X500Name("CN=" + name);
      try {
        this.self =
            new Issued(
                sign(
                    builder(
                            subject,
                            subject,
                            keys,
                            Instant.now().minusSeconds(60),
                            Duration.ofDays(1))
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    keys),
                keys);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
    }

    /** Writes the CA's certificate as {@code <name>.crt}; returns its path. */
    public Path write(Path folder, String name) throws IOException {
      Path file = folder.resolve(name + ".crt");
      writeAtomically(file, pem(self.certificate()));
      return file;
    }

    /** A server certificate for 127.0.0.1 and localhost, valid from now for a day. */
    public Issued server() throws GeneralSecurityException {
      return server(Instant.now().minusSeconds(60), Duration.ofDays(1));
    }

    /**
     * A server certificate for 127.0.0.1 and localhost, valid from {@code from} for {@code
     * validity}.
     */
    public Issued server(Instant from, Duration validity) throws GeneralSecurityException {
      return issue(
          "localhost",
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }),
          KeyPurposeId.id_kp_serverAuth,
          from,
          validity);
    }

    /** A server certificate for the DNS name {@code host} only (no IP address). */
    public Issued serverNamed(String host) throws GeneralSecurityException {
      return issue(
          host,
          new GeneralNames(new GeneralName(GeneralName.dNSName, host)),
          KeyPurposeId.id_kp_serverAuth,
          Instant.now().minusSeconds(60),
          Duration.ofDays(1));
    }

    /** A client certificate named {@code name}. */
    public Issued client(String name) throws GeneralSecurityException {
      return issue(
          name,
          null,
          KeyPurposeId.id_kp_clientAuth,
          Instant.now().minusSeconds(60),
          Duration.ofDays(1));
    }

    /** A leaf this CA signs: {@code CN=name}, the names {@code alternatives} (null: none). */
    private Issued issue(
        String name,
        GeneralNames alternatives,
        KeyPurposeId purpose,
        Instant from,
        Duration validity)
        throws GeneralSecurityException {
      KeyPair keys = keys();
      try {
        X509v3CertificateBuilder builder =
            builder(new X500Name("CN=" + name), subject(), keys, from, validity)
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (alternatives != null) {
          builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
        }
        return new Issued(sign(builder, self.keys()), keys);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
    }

    private X500Name subject() {
      return new X500Name(self.certificate().getSubjectX500Principal().getName());
    }
  }

  private TestCertificates() {}

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name subject, X500Name issuer, KeyPair keys, Instant from, Duration validity) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(from),
        Date.from(from.plus(validity)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /** Written beside and moved into place, as a rotation should be: never seen half-written. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path temporary = java.nio.file.Files.createTempFile(file.getParent(), ".rotate", ".tmp");
    java.nio.file.Files.writeString(temporary, text);
    java.nio.file.Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
