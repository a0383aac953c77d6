package io.grey.store.gcs;

import io.grey.core.config.ConfigSection;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStoreProvider;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code gcs} backend for {@link io.grey.core.store.BlobStores}: reads the {@code gcp} section
 * ({@link GcsConfig#read}) and builds a {@link GcsStore} on the context's clock. Its description names the
 * credential source the client would use, judged from the config and the environment in the order of Google's
 * Application Default Credentials chain, never showing a key. Stateless and thread-safe.
 */
public final class GcsStoreProvider implements BlobStoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public GcsStoreProvider() {}

  @Override
  public String kind() {
    return "gcs";
  }

  @Override
  public String section() {
    return "gcp";
  }

  @Override
  public StoreDescription describe(ConfigSection section, StoreContext context) {
    GcsConfig config = GcsConfig.read(section);
    StringBuilder target = new StringBuilder("bucket ").append(config.bucket())
        .append(" of project ").append(config.projectId()).append(" (created in ").append(config.location())
        .append(" if missing)");
    if (!config.prefix().isEmpty()) {
      target.append(", prefix ").append(config.prefix());
    }
    target.append(config.endpoint().isEmpty() ? ", Google endpoint" : ", endpoint " + config.endpoint());
    if (!config.storageClass().isEmpty()) {
      target.append(", storage class ").append(config.storageClass());
    }
    target.append(config.kmsKey().isEmpty() ? ", Google-managed encryption" : ", CMEK " + config.kmsKey());
    return new StoreDescription(kind(), "gcp.storage", target.toString(),
        credentialSource(config.credentials(), context.environment()));
  }

  @Override
  public BlobStore open(ConfigSection section, StoreContext context) {
    return GcsStore.create(GcsConfig.read(section), context.clock());
  }

  /**
   * Which source the client would take credentials from: the configured key file, or the first link of the
   * Application Default Credentials chain that is present (environment variable, gcloud's user file, else the
   * metadata server, which is where workload identity answers on GKE).
   */
  static String credentialSource(GcsCredentials credentials, Map<String, String> env) {
    return switch (credentials) {
      case GcsCredentials.ServiceAccountKey key -> "service-account key file " + key.file() + " from config";
      case GcsCredentials.DefaultChain chain -> "Application Default Credentials (" + chainLink(env) + ")";
    };
  }

  private static String chainLink(Map<String, String> env) {
    String file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
    if (file != null && !file.isBlank()) {
      return "env GOOGLE_APPLICATION_CREDENTIALS names " + file;
    }
    String configDir = env.get("CLOUDSDK_CONFIG");
    Path gcloud = configDir != null && !configDir.isBlank()
        ? Path.of(configDir, "application_default_credentials.json")
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "gcloud",
            "application_default_credentials.json");
    if (Files.isRegularFile(gcloud)) {
      return "gcloud application-default login in " + gcloud;
    }
    return "metadata server: workload identity on GKE or the attached service account; no"
        + " GOOGLE_APPLICATION_CREDENTIALS and no gcloud credentials file";
  }
}
