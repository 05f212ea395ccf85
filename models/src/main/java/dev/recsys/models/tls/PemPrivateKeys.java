package dev.recsys.models.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key in any of the three encodings tools write: PKCS#8 ({@code
 * BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, OpenSSL's and cert-manager's
 * default for RSA) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). The JDK and gRPC read only PKCS#8;
 * the other two are re-wrapped as PKCS#8 (the key bytes are not changed) before the JDK parses them.
 * Messages name the file, never its content.
 */
public final class PemPrivateKeys {

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  /** The OID id-ecPublicKey (1.2.840.10045.2.1), as a TLV. */
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private PemPrivateKeys() {}

  /** A certificate chain (leaf first) and its private key, checked to belong together. */
  public record Identity(X509Certificate[] chain, PrivateKey key) {}

  /**
   * The chain in {@code certFile} and the key in {@code keyFile}, refused unless the key is the
   * private half of the leaf certificate's public key ({@link #requireMatching}).
   */
  public static Identity readIdentity(Path certFile, Path keyFile) throws IOException {
    X509Certificate[] chain;
    try (java.io.InputStream in = Files.newInputStream(certFile)) {
      chain = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate " + certFile + ": " + e.getMessage(), e);
    }
    if (chain.length == 0) {
      throw new IOException("the certificate file " + certFile + " holds no certificate");
    }
    PrivateKey key = read(keyFile);
    requireMatching(chain[0], key, certFile, keyFile);
    return new Identity(chain, key);
  }

  /** The private key in {@code file}. */
  public static PrivateKey read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      String body = m.group(2);
      if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("Proc-Type: 4,ENCRYPTED")) {
        throw new IOException("the private key " + file + " is encrypted; give it unencrypted (e.g. openssl pkey -in " + file.getFileName()
            + " -out key.pem), protected by the file's permissions or the secret store");
      }
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body.strip());
      } catch (IllegalArgumentException e) {
        throw new IOException("the private key " + file + " is not valid base64 PEM", e);
      }
      byte[] pkcs8 = switch (type) {
        case "PRIVATE KEY" -> der;
        case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, der);
        case "EC PRIVATE KEY" -> pkcs8(sequence(EC_PUBLIC_KEY_OID, sec1Curve(der, file)), der);
        default -> throw new IOException("the private key " + file + " is a " + type + ", not a PKCS#8, RSA or EC private key");
      };
      return parse(pkcs8, file);
    }
    throw new IOException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /**
   * Throws unless {@code key} is the private half of {@code certificate}'s public key: a random
   * message signed with one must verify with the other (comparing algorithms alone lets any two RSA
   * files pass, and a server with a mismatched pair completes no handshake).
   */
  public static void requireMatching(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) throws IOException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "RSASSA-PSS" -> "RSASSA-PSS";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    byte[] message = new byte[32];
    new SecureRandom().nextBytes(message);
    try {
      Signature signer = signature(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = signature(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(message);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another algorithm than the certificate's: not a pair either.
    }
    throw new IOException("the certificate " + certFile + " and the private key " + keyFile + " do not belong together "
        + "(a message signed with the key does not verify with the certificate's public key)");
  }

  /** A signature engine for {@code algorithm}; RSASSA-PSS needs its parameters named. */
  private static Signature signature(String algorithm) throws GeneralSecurityException {
    Signature s = Signature.getInstance(algorithm);
    if (algorithm.equals("RSASSA-PSS")) {
      s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
    }
    return s;
  }

  /**
   * What changes when any of {@code files} is rewritten (modification time and size of each): the
   * server and the client compare it to re-read their TLS files only when one changed.
   */
  public static List<Object> changeStamp(List<Path> files) throws IOException {
    List<Object> stamp = new java.util.ArrayList<>();
    for (Path p : files) {
      stamp.add(Files.getLastModifiedTime(p));
      stamp.add(Files.size(p));
    }
    return stamp;
  }

  private static PrivateKey parse(byte[] pkcs8, Path file) throws IOException {
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // Not this algorithm: try the next.
      }
    }
    throw new IOException("the private key " + file + " is not an RSA, EC or EdDSA key this JVM can read");
  }

  /** The named curve's OID (as a TLV) in a SEC1 ECPrivateKey's [0] parameters. */
  private static byte[] sec1Curve(byte[] der, Path file) throws IOException {
    try {
      int[] at = {0};
      Der.expect(der, at, 0x30);
      Der.length(der, at);
      Der.skip(der, at, 0x02); // version
      Der.skip(der, at, 0x04); // the private key
      if (at[0] < der.length && (der[at[0]] & 0xff) == 0xa0) {
        at[0]++;
        int length = Der.length(der, at);
        if ((der[at[0]] & 0xff) == 0x06) {
          return java.util.Arrays.copyOfRange(der, at[0], at[0] + length);
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      // Truncated: reported below.
    }
    throw new IOException("the EC private key " + file + " does not name its curve (SEC1 parameters missing); convert it to PKCS#8 "
        + "(openssl pkcs8 -topk8 -nocrypt)");
  }

  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return sequence(hex("020100"), algorithm, Der.tlv(0x04, key));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    return Der.tlv(0x30, content.toByteArray());
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  /** The few DER rules the re-wrapping needs. */
  private static final class Der {
    static byte[] tlv(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = value.length;
      if (n < 0x80) {
        out.write(n);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(n >>> (8 * i));
        }
      }
      out.writeBytes(value);
      return out.toByteArray();
    }

    static void expect(byte[] der, int[] at, int tag) throws IOException {
      if ((der[at[0]++] & 0xff) != tag) {
        throw new IOException("unexpected DER tag");
      }
    }

    static int length(byte[] der, int[] at) {
      int first = der[at[0]++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int n = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        n = n << 8 | (der[at[0]++] & 0xff);
      }
      return n;
    }

    static void skip(byte[] der, int[] at, int tag) throws IOException {
      expect(der, at, tag);
      int length = length(der, at);
      at[0] += length;
    }
  }
}
