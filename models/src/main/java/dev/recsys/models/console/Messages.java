package dev.recsys.models.console;

/** Turns failures into text for people: never the word "null", never a stack trace. */
public final class Messages {

  private Messages() {}

  /**
   * The failure's message; for one without a message (a NullPointerException, say) its kind, and
   * the cause's description when there is one.
   */
  public static String describe(Throwable t) {
    if (t == null) {
      return "unknown failure";
    }
    String message = t.getMessage();
    if (message != null && !message.isBlank() && !message.equals("null")) {
      return message;
    }
    String kind = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
    return t.getCause() != null && t.getCause() != t ? kind + " (" + describe(t.getCause()) + ")" : kind;
  }
}
