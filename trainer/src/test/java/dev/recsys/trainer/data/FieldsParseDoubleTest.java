package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rating parser's fast path agrees with Double.parseDouble, including numbers too long for it. */
class FieldsParseDoubleTest {

  private static double parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    return Fields.parseDouble(b, 0, b.length);
  }

  @Test
  void longNumbersAreNotWrappedIntoValidRatings() {
    assertEquals(1.8446744073709552e19, parse("18446744073709551620"), "19+ digits wrapped the long to 4 before");
    assertEquals(1234567890123456.0, parse("1234567890123456"));
    assertEquals(4.0, parse("4"));
    assertEquals(3.5, parse(" 3.5 "));
    assertEquals(123456789012345.5, parse("123456789012345.5"));
  }
}
