package dev.recsys.trainer.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes MovieLens text, which is UTF-8 in the newer releases and ISO-8859-1 in ml-100k and ml-1m:
 * strict UTF-8 first, ISO-8859-1 when that fails (every byte sequence is valid ISO-8859-1).
 */
final class TextDecoding {

  private TextDecoding() {}

  /** The decoded text and whether the fallback was needed. */
  record Decoded(String text, boolean fellBack) {}

  static Decoded decode(byte[] buf, int start, int end) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buf, start, end - start))
              .toString();
      return new Decoded(s, false);
    } catch (CharacterCodingException e) {
      return new Decoded(new String(buf, start, end - start, StandardCharsets.ISO_8859_1), true);
    }
  }
}
