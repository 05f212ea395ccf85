package dev.recsys.trainer.cli;

import dev.recsys.models.signing.SigningKey;
import dev.recsys.trainer.publish.VersionPublisher;
import java.io.IOException;
import java.util.Optional;

/**
 * What publishing a version needs, read and checked before a command trains anything: a bad key
 * file, model name, alias or index setting then costs a second instead of a whole training run.
 *
 * @param signer the key to sign the manifest with, or null
 * @param annMinMovies the catalogue size from which a graph index is built (0: never)
 */
public record PublicationChecks(SigningKey signer, int annMinMovies) {

  /** Reads the signing key and checks the model name, the alias to promote (or null) and the index threshold. */
  public static PublicationChecks before(SigningOptions signing, IndexOptions index, String model, String promote) throws IOException {
    SigningKey signer = signing.signer();
    VersionPublisher.requireValidTarget(model, Optional.ofNullable(promote));
    return new PublicationChecks(signer, index.annMinMovies());
  }
}
