package dev.recsys.trainer.cli;

import dev.recsys.models.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --signing-key}, shared by the commands that publish versions (here and in the Spark
 * trainer): a picocli mixin. Servers started with {@code --trusted-keys} load only versions signed
 * by one of their keys.
 */
public final class SigningOptions {

  @Option(names = "--signing-key", defaultValue = "${env:RECSYS_SIGNING_KEY}",
      description = "Ed25519 private key (PEM, from 'registry keygen' or openssl) that signs the published manifest (RECSYS_SIGNING_KEY).")
  Path signingKey;

  /** The key to sign with, or null when none is configured; a bad key file stops the command, naming it. */
  public SigningKey signer() throws IOException {
    return signingKey == null ? null : SigningKey.read(signingKey);
  }
}
