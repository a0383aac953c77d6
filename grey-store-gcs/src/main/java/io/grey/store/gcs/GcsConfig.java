package io.grey.store.gcs;

import io.grey.core.ConfigException;
import io.grey.core.config.ConfigSection;
import io.grey.core.store.PresignRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach one Cloud Storage bucket; the fields mirror the keys of the {@code gcp} section
 * ({@code gcp.project_id} is {@link #projectId}, {@code gcp.storage.chunk_size} is {@link #chunkSize}, and so on).
 * Immutable; validated on construction, so a store is never built from a configuration that would fail later.
 * Holds no key material: a service-account key is named by its path only.
 *
 * @param name the store's name in metrics, logs and errors ({@code gcp})
 * @param projectId the project that owns the bucket and is billed for it ({@code gcp.project_id})
 * @param bucket the bucket ({@code gcp.storage.bucket}); created in {@code location} when it does not exist
 * @param prefix a name prefix inside the bucket ("" for none); object {@code k} lives at {@code prefix + k}
 * @param location where a missing bucket is created ({@code gcp.storage.location}, default {@code gcp.region},
 *     else {@code US})
 * @param storageClass the storage class of new objects, or "" for the bucket's default
 * @param endpoint an endpoint override such as an emulator's {@code http://127.0.0.1:4443}, or "" for Google's
 * @param chunkSize bodies up to this length are sent in one request (and held in memory while hashed); longer
 *     ones stream as a resumable upload in chunks of this size; a multiple of 256 KiB
 * @param presignMaxTtl the longest lifetime a signed URL may have, at most 7 days
 * @param kmsKey the Cloud KMS key that encrypts new objects (customer-managed encryption), or "" for
 *     Google-managed keys
 * @param credentials the default chain or a service-account key file
 */
public record GcsConfig(
    String name,
    String projectId,
    String bucket,
    String prefix,
    String location,
    String storageClass,
    String endpoint,
    int chunkSize,
    Duration presignMaxTtl,
    String kmsKey,
    GcsCredentials credentials) {

  /** The unit resumable chunks come in. */
  public static final int CHUNK_QUANTUM = 256 * 1024;
  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
  private static final int MAX_CHUNK_SIZE = 512 * 1024 * 1024;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z0-9.:-]{1,63}");
  private static final Pattern KMS_KEY =
      Pattern.compile("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+");
  static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE",
      "MULTI_REGIONAL", "REGIONAL", "DURABLE_REDUCED_AVAILABILITY");

  public GcsConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(storageClass, "storageClass");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(presignMaxTtl, "presignMaxTtl");
    Objects.requireNonNull(kmsKey, "kmsKey");
    Objects.requireNonNull(credentials, "credentials");
    if (name.isBlank()) {
      throw new ConfigException("gcp.storage store name must not be empty");
    }
    if (!PROJECT.matcher(projectId).matches()) {
      throw new ConfigException("gcp.project_id '" + projectId + "' must be a project id such as grey-prod");
    }
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || bucket.startsWith("goog")) {
      throw new ConfigException("gcp.storage.bucket '" + bucket + "' must be 3-63 characters of lower-case letters,"
          + " digits, '-', '_' and '.', starting and ending alphanumeric, not starting with 'goog'");
    }
    if (prefix.startsWith("/")) {
      throw new ConfigException("gcp.storage.prefix '" + prefix + "' must not start with '/'");
    }
    if (!location.matches("[A-Za-z0-9-]{2,64}")) {
      throw new ConfigException("gcp.storage.location '" + location + "' must be a location such as US or"
          + " us-central1");
    }
    if (!storageClass.isEmpty() && !STORAGE_CLASSES.contains(storageClass)) {
      throw new ConfigException("gcp.storage.storage_class '" + storageClass + "' must be one of STANDARD, NEARLINE,"
          + " COLDLINE, ARCHIVE");
    }
    if (!endpoint.isEmpty()) {
      checkEndpoint(endpoint);
    }
    if (chunkSize < CHUNK_QUANTUM || chunkSize > MAX_CHUNK_SIZE || chunkSize % CHUNK_QUANTUM != 0) {
      throw new ConfigException("gcp.storage.chunk_size must be a multiple of 256 KiB between 256 KiB and 512 MiB,"
          + " got " + chunkSize + " bytes");
    }
    if (presignMaxTtl.compareTo(Duration.ofSeconds(1)) < 0 || presignMaxTtl.compareTo(PresignRequest.MAX_TTL) > 0) {
      throw new ConfigException("gcp.storage.presign_max_ttl must be between 1 second and 7 days, got "
          + presignMaxTtl);
    }
    if (!kmsKey.isEmpty() && !KMS_KEY.matcher(kmsKey).matches()) {
      throw new ConfigException("gcp.storage.encryption.kms_key '" + kmsKey + "' must be a key name of the form"
          + " projects/P/locations/L/keyRings/R/cryptoKeys/K");
    }
  }

  /**
   * The defaults for {@code bucket} of {@code projectId}: name {@code gcp}, no prefix, location {@code US}, the
   * bucket's storage class, Google's endpoint, 8 MiB chunks, 7-day signed URL limit, Google-managed encryption,
   * the Application Default Credentials chain.
   */
  public static GcsConfig of(String projectId, String bucket) {
    return new GcsConfig("gcp", projectId, bucket, "", "US", "", "", DEFAULT_CHUNK_SIZE, PresignRequest.MAX_TTL, "",
        GcsCredentials.defaultChain());
  }

  /** This configuration with every name stored under {@code newPrefix} inside the bucket. */
  public GcsConfig withPrefix(String newPrefix) {
    return new GcsConfig(name, projectId, bucket, newPrefix, location, storageClass, endpoint, chunkSize,
        presignMaxTtl, kmsKey, credentials);
  }

  /** This configuration talking to {@code newEndpoint} (an emulator) instead of Google. */
  public GcsConfig withEndpoint(String newEndpoint) {
    return new GcsConfig(name, projectId, bucket, prefix, location, storageClass, newEndpoint, chunkSize,
        presignMaxTtl, kmsKey, credentials);
  }

  /** This configuration writing new objects in {@code newStorageClass} ("" for the bucket default). */
  public GcsConfig withStorageClass(String newStorageClass) {
    return new GcsConfig(name, projectId, bucket, prefix, location, newStorageClass, endpoint, chunkSize,
        presignMaxTtl, kmsKey, credentials);
  }

  /** This configuration with resumable chunks (and the single-request limit) of {@code newChunkSize} bytes. */
  public GcsConfig withChunkSize(int newChunkSize) {
    return new GcsConfig(name, projectId, bucket, prefix, location, storageClass, endpoint, newChunkSize,
        presignMaxTtl, kmsKey, credentials);
  }

  /** This configuration with signed URLs limited to {@code newMaxTtl}. */
  public GcsConfig withPresignMaxTtl(Duration newMaxTtl) {
    return new GcsConfig(name, projectId, bucket, prefix, location, storageClass, endpoint, chunkSize, newMaxTtl,
        kmsKey, credentials);
  }

  /** This configuration encrypting new objects with the Cloud KMS key {@code newKmsKey} ("" for none). */
  public GcsConfig withKmsKey(String newKmsKey) {
    return new GcsConfig(name, projectId, bucket, prefix, location, storageClass, endpoint, chunkSize,
        presignMaxTtl, newKmsKey, credentials);
  }

  /** This configuration with {@code newCredentials}. */
  public GcsConfig withCredentials(GcsCredentials newCredentials) {
    return new GcsConfig(name, projectId, bucket, prefix, location, storageClass, endpoint, chunkSize,
        presignMaxTtl, kmsKey, newCredentials);
  }

  /**
   * Reads the {@code gcp:} section: {@code project_id} (required), {@code region} (the default of
   * {@code storage.location}), {@code credentials} ({@code use_workload_identity: true} or nothing: the Application
   * Default Credentials chain; {@code service_account_key: path}: that key file) and {@code storage} with one key
   * per field of this record ({@code bucket} required) and {@code encryption: {type: CMEK, kms_key: ...}}. Keys of
   * Google Cloud features Grey does not implement are refused naming the key.
   *
   * @throws ConfigException naming file, line and key path
   */
  static GcsConfig read(ConfigSection gcp) {
    gcp.unsupported("firestore", "task state lives in Grey's stores");
    gcp.unsupported("gke", "Grey does not manage compute");
    gcp.unsupported("confidential", "confidential computing is not managed by Grey");
    gcp.unsupported("billing", "billing export and budgets are not implemented for Google Cloud");
    gcp.unsupported("monitoring", "metrics are exported to Prometheus at monitoring.prometheus.path");
    gcp.unsupported("private_google_access", "networking is set up outside Grey");
    gcp.unsupported("vpc_service_controls", "networking is set up outside Grey");
    String projectId = gcp.requiredString("project_id");
    String region = gcp.string("region", "");
    GcsCredentials credentials = gcp.section("credentials", GcsConfig::readCredentials,
        GcsCredentials.defaultChain());
    if (!gcp.has("storage")) {
      throw gcp.error("storage", "missing: Grey uses the gcp section for Cloud Storage only; give"
          + " gcp.project_id and gcp.storage.bucket at least");
    }
    StorageKeys storage = gcp.section("storage", GcsConfig::readStorage, null);
    return gcp.build(() -> new GcsConfig("gcp", projectId, storage.bucket, storage.prefix,
        storage.location.isEmpty() ? (region.isEmpty() ? "US" : region) : storage.location, storage.storageClass,
        storage.endpoint, storage.chunkSize, storage.presignMaxTtl, storage.kmsKey, credentials));
  }

  private record StorageKeys(String bucket, String prefix, String location, String storageClass, String endpoint,
      int chunkSize, Duration presignMaxTtl, String kmsKey) {}

  private static GcsCredentials readCredentials(ConfigSection c) {
    boolean workloadIdentity = c.bool("use_workload_identity", false);
    boolean saysNoWorkloadIdentity = c.has("use_workload_identity") && !workloadIdentity;
    Path key = c.path("service_account_key", null);
    return c.build(() -> {
      if (key == null) {
        if (saysNoWorkloadIdentity) {
          throw new ConfigException("gcp.credentials.use_workload_identity is false but no service_account_key is"
              + " given");
        }
        return GcsCredentials.defaultChain();
      }
      if (workloadIdentity) {
        throw new ConfigException("gcp.credentials.use_workload_identity: give use_workload_identity: true or a"
            + " service_account_key, not both");
      }
      return GcsCredentials.serviceAccountKey(key);
    });
  }

  private static StorageKeys readStorage(ConfigSection s) {
    s.unsupported("lifecycle", "use Grey's top-level lifecycle rules; `grey lifecycle apply` installs them on the"
        + " bucket");
    s.unsupported("versioning", "object versioning is a bucket setting made outside Grey; Grey's version token is"
        + " the object generation");
    s.unsupported("retention_policy", "retention is a bucket setting made outside Grey");
    String bucket = s.requiredString("bucket");
    String prefix = s.string("prefix", "");
    String location = s.string("location", "");
    String storageClass = s.string("storage_class", "").toUpperCase(Locale.ROOT);
    String endpoint = s.string("endpoint", "");
    long chunk = s.byteSize("chunk_size", DEFAULT_CHUNK_SIZE);
    Duration ttl = s.duration("presign_max_ttl", PresignRequest.MAX_TTL);
    String kmsKey = s.section("encryption", GcsConfig::readEncryption, "");
    return s.build(() -> new StorageKeys(bucket, prefix, location, storageClass, endpoint,
        (int) Math.min(chunk, Integer.MAX_VALUE), ttl, kmsKey));
  }

  private static String readEncryption(ConfigSection e) {
    String type = e.string("type", "");
    String kmsKey = e.string("kms_key", "");
    return e.build(() -> {
      switch (type.toUpperCase(Locale.ROOT)) {
        case "CMEK" -> {
          if (kmsKey.isEmpty()) {
            throw new ConfigException("gcp.storage.encryption.kms_key: missing: CMEK needs the Cloud KMS key name");
          }
          return kmsKey;
        }
        case "", "GOOGLE_MANAGED" -> {
          if (!kmsKey.isEmpty()) {
            throw new ConfigException("gcp.storage.encryption.type: give type: CMEK with a kms_key");
          }
          return "";
        }
        default -> throw new ConfigException("gcp.storage.encryption.type '" + type + "' must be CMEK or"
            + " GOOGLE_MANAGED (customer-supplied keys are not implemented)");
      }
    });
  }

  private static void checkEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("gcp.storage.endpoint '" + endpoint + "' must be an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException("gcp.storage.endpoint '" + endpoint + "' is not a URL: " + e.getReason(), e);
    }
  }
}
