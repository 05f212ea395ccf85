package dev.recsys.server.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS tests: a CA, server certificates for localhost and
 * client certificates with chosen subjects, written as the PEM files the server and client read
 * (certificate, PKCS#8 private key, CA bundle).
 */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caFile;

  /** A certificate and its key on disk. */
  public record Issued(Path cert, Path key, X500Principal subject) {}

  private TestPki(Path dir, KeyPair caKeys, X509Certificate caCert, Path caFile) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caFile = caFile;
  }

  /** A new CA named {@code CN=<name>}, its certificate written to {@code <dir>/<name>-ca.crt}. */
  public static TestPki create(Path dir, String name) throws IOException {
    try {
      Files.createDirectories(dir);
      KeyPair keys = newKeys();
      X500Name subject = x500("CN=" + name);
      X509v3CertificateBuilder b = builder(subject, subject, keys, Duration.ofDays(30));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = sign(b, keys);
      Path file = dir.resolve(name + "-ca.crt");
      Files.writeString(file, pem("CERTIFICATE", cert.getEncoded()));
      return new TestPki(dir, keys, cert, file);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException(e);
    }
  }

  /** The CA bundle (PEM) that verifies what this CA issued. */
  public Path caFile() {
    return caFile;
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}, written under {@code stem}. */
  public Issued server(String subject, String stem) throws IOException {
    return issue(subject, stem, true, null);
  }

  /** A client certificate with {@code subject} (e.g. {@code CN=mlops,O=recsys}) and no alternative names. */
  public Issued client(String subject, String stem) throws IOException {
    return issue(subject, stem, false, null);
  }

  /** A client certificate with {@code subject} and the URI alternative name {@code uri} (e.g. a SPIFFE id). */
  public Issued client(String subject, String stem, String uri) throws IOException {
    return issue(subject, stem, false, uri);
  }

  /** The CA's own subject (what an admin identity names as the issuer). */
  public String caSubject() {
    return caCert.getSubjectX500Principal().getName();
  }

  private Issued issue(String subject, String stem, boolean server, String uri) throws IOException {
    try {
      KeyPair keys = newKeys();
      X509v3CertificateBuilder b = builder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), x500(subject), keys,
          Duration.ofDays(7));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      if (server) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      } else if (uri != null) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
      }
      X509Certificate cert = sign(b, caKeys);
      Path certFile = dir.resolve(stem + ".crt");
      Path keyFile = dir.resolve(stem + ".key");
      writeReplacing(certFile, pem("CERTIFICATE", cert.getEncoded()));
      writeReplacing(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Issued(certFile, keyFile, cert.getSubjectX500Principal());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException(e);
    }
  }

  /**
   * The same certificate with its key rewritten as SEC1 ({@code BEGIN EC PRIVATE KEY}, the curve
   * named), as {@code openssl ecparam -genkey} and cert-manager's default encoding write EC keys.
   */
  public static Issued withSec1Key(Issued issued) throws IOException {
    String pem = Files.readString(issued.key(), StandardCharsets.US_ASCII);
    byte[] pkcs8 = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8);
    var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
    Path key = issued.key().resolveSibling(issued.key().getFileName() + ".sec1");
    writeReplacing(key, pem("EC PRIVATE KEY", sec1.getEncoded()));
    return new Issued(issued.cert(), key, issued.subject());
  }

  /** Replaces a file by rename, as a secret rotation does, with a modification time that moves on. */
  private static void writeReplacing(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    if (Files.exists(file)) {
      var before = Files.getLastModifiedTime(file).toInstant();
      var now = Instant.now();
      Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(now.isAfter(before) ? now : before.plusSeconds(1)));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The name as Java reads it (RFC 2253: most specific first), so subjects print as written. */
  private static X500Name x500(String rfc2253) {
    return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(60)),
        Date.from(now.plus(validity)), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
