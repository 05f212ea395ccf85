package dev.recsys.server.serving;

/** Loads one registry version into a servable model; {@link ModelLoader} is the real one. */
@FunctionalInterface
public interface VersionLoader {

  /**
   * @param onClose run once when the loaded model is finally closed
   * @throws ModelLoader.LoadException when the version is refused, with the reason
   */
  LoadedModel load(long version, Runnable onClose) throws ModelLoader.LoadException;
}
