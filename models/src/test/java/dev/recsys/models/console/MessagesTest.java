package dev.recsys.models.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Regression: a refusal read "version 2 refused: null" when the failure had no message. */
class MessagesTest {

  @Test
  void describe_failureWithoutMessage_namesItsKindAndCause_neverNull() {
    assertEquals("NullPointerException", Messages.describe(new NullPointerException()));
    assertEquals("IllegalStateException (disk full)", Messages.describe(new IllegalStateException(null, new IOException("disk full"))));
    assertEquals("RuntimeException (NullPointerException)", Messages.describe(new RuntimeException("null", new NullPointerException())));
    assertEquals("bad shape", Messages.describe(new IllegalArgumentException("bad shape")));
    assertEquals("unknown failure", Messages.describe(null));
  }
}
