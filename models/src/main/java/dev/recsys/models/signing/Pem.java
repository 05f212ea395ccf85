package dev.recsys.models.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PEM text form of keys: base64 DER between BEGIN and END lines. */
final class Pem {

  static final String PRIVATE = "PRIVATE KEY";
  static final String PUBLIC = "PUBLIC KEY";

  /** Largest key file read; a PEM Ed25519 key is about 120 bytes, a file of many keys a few KB. */
  static final int MAX_BYTES = 1024 * 1024;

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private Pem() {}

  /** The DER bytes of every block of {@code type} in the file, in order. */
  static List<byte[]> blocks(Path file, String type) throws IOException {
    String text = new String(dev.recsys.models.io.BoundedFiles.read(file, MAX_BYTES, "key file"), StandardCharsets.US_ASCII);
    List<byte[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          out.add(Base64.getMimeDecoder().decode(m.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ": a " + type + " block is not base64", e);
        }
      }
    }
    return out;
  }

  static String encode(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
