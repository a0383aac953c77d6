package io.grey.store.gcs;

import io.grey.testkit.GcsEmulator;
import java.nio.file.Path;

/** Store configurations that reach a {@link GcsEmulator} with its test service-account key. */
final class EmulatedGcs {
  private EmulatedGcs() {}

  /** A config for {@code bucket} of {@code emulator}, authenticating with the key written to {@code keyFile}. */
  static GcsConfig config(GcsEmulator emulator, String bucket, Path keyFile) {
    return GcsConfig.of(GcsEmulator.PROJECT, bucket)
        .withEndpoint(emulator.endpoint().toString())
        .withCredentials(GcsCredentials.serviceAccountKey(keyFile));
  }
}
