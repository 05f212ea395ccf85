package dev.recsys.models.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys as OpenSSL and cert-manager write them, and certificate/key pairs that do or do not belong together. */
class PemPrivateKeysTest {

  @TempDir Path dir;

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** OpenSSL's traditional encoding: PKCS#1 for RSA, SEC1 (with its curve) for EC. */
  private Path traditional(String name, KeyPair keys) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(keys);
    }
    return Files.writeString(dir.resolve(name), text.toString());
  }

  /** SEC1 with its named curve in the [0] parameters, as openssl ecparam -genkey writes it. */
  private Path sec1WithCurve(String name, KeyPair keys) throws IOException {
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    var curve = info.getPrivateKeyAlgorithm().getParameters();
    var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(), curve);
    return Files.writeString(dir.resolve(name), "-----BEGIN EC PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(sec1.getEncoded()) + "\n-----END EC PRIVATE KEY-----\n");
  }

  private Path pkcs8(String name, KeyPair keys) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
    }
    return Files.writeString(dir.resolve(name), text.toString());
  }

  private static X509Certificate selfSigned(KeyPair keys) throws Exception {
    String algorithm = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=test"), BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
        Date.from(Instant.now().plusSeconds(3600)), new X500Name("CN=test"), keys.getPublic());
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }

  @Test
  void readsPkcs8_pkcs1AndSec1_toTheSameKey() throws Exception {
    KeyPair r = rsa();
    KeyPair e = ec();
    Path rsa1 = traditional("rsa1.pem", r);
    Path ecSec1 = sec1WithCurve("ec-sec1.pem", e);
    assertTrue(Files.readString(rsa1).contains("BEGIN RSA PRIVATE KEY") && Files.readString(ecSec1).contains("BEGIN EC PRIVATE KEY"));
    assertArrayEquals(r.getPrivate().getEncoded(), PemPrivateKeys.read(rsa1).getEncoded());
    assertArrayEquals(r.getPrivate().getEncoded(), PemPrivateKeys.read(pkcs8("rsa8.pem", r)).getEncoded());
    assertTrue(java.security.MessageDigest.isEqual(((java.security.interfaces.ECPrivateKey) e.getPrivate()).getS().toByteArray(),
        ((java.security.interfaces.ECPrivateKey) PemPrivateKeys.read(ecSec1)).getS().toByteArray()));
    assertArrayEquals(e.getPrivate().getEncoded(), PemPrivateKeys.read(pkcs8("ec8.pem", e)).getEncoded());
    // SEC1 without its curve cannot be read alone: refused saying how to convert it.
    IOException noCurve = assertThrows(IOException.class, () -> PemPrivateKeys.read(traditional("ec-bare.pem", e)));
    assertTrue(noCurve.getMessage().contains("does not name its curve"), noCurve.getMessage());
    // A certificate in the same file ahead of the key (a combined PEM) is skipped.
    Path combined = Files.writeString(dir.resolve("combined.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        + Files.readString(rsa1));
    assertArrayEquals(r.getPrivate().getEncoded(), PemPrivateKeys.read(combined).getEncoded());
  }

  @Test
  void encryptedOrMissingKeys_areRefusedNamingTheFile() throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(rsa(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
          .build("secret".toCharArray()));
    }
    Path encrypted = Files.writeString(dir.resolve("encrypted.pem"), text.toString());
    IOException e = assertThrows(IOException.class, () -> PemPrivateKeys.read(encrypted));
    assertTrue(e.getMessage().contains("is encrypted") && e.getMessage().contains("encrypted.pem"), e.getMessage());
    Path none = Files.writeString(dir.resolve("none.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    e = assertThrows(IOException.class, () -> PemPrivateKeys.read(none));
    assertTrue(e.getMessage().contains("holds no PEM private key"), e.getMessage());
  }

  @Test
  void aCertificateAndAKey_mustBelongTogether_notJustShareAnAlgorithm() throws Exception {
    KeyPair r = rsa();
    X509Certificate cert = selfSigned(r);
    Path c = dir.resolve("c.crt");
    Path k = dir.resolve("k.pem");
    PemPrivateKeys.requireMatching(cert, r.getPrivate(), c, k);
    IOException e = assertThrows(IOException.class, () -> PemPrivateKeys.requireMatching(cert, rsa().getPrivate(), c, k));
    assertTrue(e.getMessage().contains("do not belong together"), e.getMessage());
    assertThrows(IOException.class, () -> PemPrivateKeys.requireMatching(cert, ec().getPrivate(), c, k), "another algorithm");
    KeyPair e1 = ec();
    PemPrivateKeys.requireMatching(selfSigned(e1), e1.getPrivate(), c, k);
  }
}
