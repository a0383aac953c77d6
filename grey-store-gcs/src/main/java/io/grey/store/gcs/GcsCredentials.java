package io.grey.store.gcs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store's Google credentials come from. Holds a path at most, never key material, so it can be
 * logged.
 */
public sealed interface GcsCredentials {
  /**
   * Google's Application Default Credentials chain: {@code GOOGLE_APPLICATION_CREDENTIALS}, the gcloud user
   * file, then the metadata server (workload identity on GKE, the attached service account on Compute Engine).
   */
  record DefaultChain() implements GcsCredentials {}

  /**
   * A service-account key file in Google's JSON format.
   *
   * @param file the key file, read when the store opens
   */
  record ServiceAccountKey(Path file) implements GcsCredentials {
    public ServiceAccountKey {
      Objects.requireNonNull(file, "file");
    }
  }

  /** The default chain. */
  static GcsCredentials defaultChain() {
    return new DefaultChain();
  }

  /** The key file at {@code file}. */
  static GcsCredentials serviceAccountKey(Path file) {
    return new ServiceAccountKey(file);
  }
}
