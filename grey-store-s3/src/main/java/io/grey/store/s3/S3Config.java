package io.grey.store.s3;

import io.grey.core.ConfigException;
import io.grey.core.config.ConfigSection;
import io.grey.core.store.PresignRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach one S3 bucket; the fields mirror the {@code aws.s3} keys of the configuration file
 * ({@code force_path_style} is {@link #forcePathStyle}, and so on). Immutable; validated on construction, so a
 * store is never built from a configuration that would fail later. {@code toString} never shows the secret.
 *
 * @param name the store's name in metrics, logs and errors (for example {@code aws})
 * @param bucket the bucket, which must exist
 * @param prefix a key prefix inside the bucket ("" for none); object {@code k} lives at {@code prefix + k}
 * @param region the AWS region, for example {@code us-east-1}
 * @param endpoint an endpoint override for S3-compatible servers, or "" for AWS's own endpoint
 * @param forcePathStyle address the bucket in the path ({@code host/bucket/key}) instead of the host name
 * @param storageClass the storage class of new objects, or "" for the bucket's default
 * @param multipartThreshold bodies up to this length are held in memory while hashed and sent in one PUT (so each
 *     concurrent put may hold this many bytes); longer ones, or unknown-length ones that turn out longer, are
 *     spilled to {@code spillDir} and sent as multipart uploads
 * @param partSize the size of one multipart part, at least 5 MiB (raised if an object would need over 10,000)
 * @param maxParallelParts how many parts of one object are uploaded at the same time
 * @param presignMaxTtl the longest lifetime a presigned URL may have, at most 7 days
 * @param credentials the SDK default chain or an explicit key pair
 * @param spillDir where bodies above the threshold are staged while their SHA-256 is computed
 * @param tags whether the server supports object tagging (s3proxy answers 501; turn off for it)
 * @param encryption the server-side encryption asked for on every write ({@code aws.s3.encryption})
 */
public record S3Config(
    String name,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    boolean forcePathStyle,
    String storageClass,
    long multipartThreshold,
    long partSize,
    int maxParallelParts,
    Duration presignMaxTtl,
    S3Credentials credentials,
    Path spillDir,
    boolean tags,
    S3Encryption encryption) {

  /** S3's smallest part (except the last). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** S3's largest single PUT and largest part. */
  public static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
  public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
  public static final int DEFAULT_MAX_PARALLEL_PARTS = 4;
  // Bodies up to the threshold are held in one byte array.
  private static final long MAX_MULTIPART_THRESHOLD = 1L << 30;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

  public S3Config {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(storageClass, "storageClass");
    Objects.requireNonNull(presignMaxTtl, "presignMaxTtl");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(spillDir, "spillDir");
    Objects.requireNonNull(encryption, "encryption");
    if (name.isBlank()) {
      throw new ConfigException("aws.s3 store name must not be empty");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw new ConfigException("aws.s3.bucket '" + bucket
          + "' must be 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending alphanumeric");
    }
    if (prefix.startsWith("/")) {
      throw new ConfigException("aws.s3.prefix '" + prefix + "' must not start with '/'");
    }
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException("aws.s3.region '" + region + "' must be a region name such as us-east-1");
    }
    if (!endpoint.isEmpty()) {
      checkEndpoint(endpoint);
    }
    if (partSize < MIN_PART_SIZE || partSize > MAX_SINGLE_PUT) {
      throw new ConfigException("aws.s3.part_size must be between 5 MiB and 5 GiB, got " + partSize + " bytes");
    }
    if (multipartThreshold < MIN_PART_SIZE || multipartThreshold > MAX_MULTIPART_THRESHOLD) {
      throw new ConfigException("aws.s3.multipart_threshold must be between 5 MiB and 1 GiB, got "
          + multipartThreshold + " bytes");
    }
    if (maxParallelParts < 1 || maxParallelParts > 64) {
      throw new ConfigException("aws.s3.max_parallel_parts must be between 1 and 64, got " + maxParallelParts);
    }
    if (presignMaxTtl.compareTo(Duration.ofSeconds(1)) < 0 || presignMaxTtl.compareTo(PresignRequest.MAX_TTL) > 0) {
      throw new ConfigException("aws.s3.presign_max_ttl must be between 1 second and 7 days, got " + presignMaxTtl);
    }
  }

  /**
   * The defaults for {@code bucket} in {@code region}: name {@code aws}, no prefix, AWS's endpoint,
   * virtual-host addressing, the bucket's storage class, 16 MiB threshold, 8 MiB parts, 4 in flight,
   * 7-day presign limit, the SDK default credential chain, spill to {@code java.io.tmpdir}, tagging on.
   */
  public static S3Config of(String bucket, String region) {
    return new S3Config("aws", bucket, "", region, "", false, "", DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE,
        DEFAULT_MAX_PARALLEL_PARTS, PresignRequest.MAX_TTL, S3Credentials.defaultChain(),
        Path.of(System.getProperty("java.io.tmpdir")), true, S3Encryption.bucketDefault());
  }

  /** This configuration with the store named {@code newName}. */
  public S3Config withName(String newName) {
    return new S3Config(newName, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with every key stored under {@code newPrefix} inside the bucket. */
  public S3Config withPrefix(String newPrefix) {
    return new S3Config(name, bucket, newPrefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with an S3-compatible endpoint such as {@code http://127.0.0.1:9000}, usually with path-style addressing. */
  public S3Config withEndpoint(String newEndpoint, boolean pathStyle) {
    return new S3Config(name, bucket, prefix, region, newEndpoint, pathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with new objects written in {@code newStorageClass} ("" for the bucket default). */
  public S3Config withStorageClass(String newStorageClass) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, newStorageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with the multipart settings: threshold, part size and parts in flight. */
  public S3Config withMultipart(long newThreshold, long newPartSize, int newMaxParallelParts) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, newThreshold,
        newPartSize, newMaxParallelParts, presignMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with presigned URLs limited to {@code newMaxTtl}. */
  public S3Config withPresignMaxTtl(Duration newMaxTtl) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, newMaxTtl, credentials, spillDir, tags, encryption);
  }

  /** This configuration with {@code newCredentials}. */
  public S3Config withCredentials(S3Credentials newCredentials) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, newCredentials, spillDir, tags, encryption);
  }

  /** This configuration staging large bodies in {@code newSpillDir}. */
  public S3Config withSpillDir(Path newSpillDir) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, newSpillDir, tags, encryption);
  }

  /** This configuration asking S3 for {@code newEncryption} on every write. */
  public S3Config withEncryption(S3Encryption newEncryption) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, tags, newEncryption);
  }

  /** This configuration with S3 object tagging on or off (off for servers that do not implement it). */
  public S3Config withTags(boolean on) {
    return new S3Config(name, bucket, prefix, region, endpoint, forcePathStyle, storageClass, multipartThreshold,
        partSize, maxParallelParts, presignMaxTtl, credentials, spillDir, on, encryption);
  }

  /**
   * Reads the {@code aws:} section of a config file: {@code aws.region} (the default of {@code aws.s3.region}),
   * {@code aws.credentials} ({@code use_instance_profile: true} or nothing: the SDK default chain;
   * {@code access_key_id} with {@code secret_access_key}: that pair) and {@code aws.s3} with one key per field of
   * this record ({@code bucket} required; {@code spill_dir} defaults to {@code defaultSpillDir}). Keys of AWS
   * features Grey does not implement are refused naming the key.
   *
   * @throws ConfigException naming file, line and key path
   */
  static S3Config read(ConfigSection aws, Path defaultSpillDir) {
    aws.unsupported("dynamodb", "task state lives in Grey's stores");
    aws.unsupported("eks", "Grey does not manage compute");
    aws.unsupported("nitro", "enclaves are not managed by Grey");
    aws.unsupported("cost", "cost reports and budgets are not implemented");
    aws.unsupported("cloudwatch", "metrics are exported to Prometheus at monitoring.prometheus.path");
    aws.unsupported("vpc_endpoints", "networking is set up outside Grey");
    String region = aws.string("region", "");
    S3Credentials credentials = aws.section("credentials", S3Config::readCredentials, S3Credentials.defaultChain());
    if (!aws.has("s3")) {
      throw aws.error("s3", "missing: Grey uses the aws section for S3 only; give aws.s3.bucket at least");
    }
    S3Config config = aws.section("s3", s3 -> readBucket(s3, region, credentials, defaultSpillDir), null);
    return aws.build(() -> config);
  }

  private static S3Credentials readCredentials(ConfigSection c) {
    boolean instanceProfile = c.bool("use_instance_profile", false);
    String id = c.string("access_key_id", "");
    String secret = c.string("secret_access_key", "");
    boolean saysNoProfile = c.has("use_instance_profile") && !instanceProfile;
    return c.build(() -> {
      if (id.isEmpty() && secret.isEmpty()) {
        if (saysNoProfile) {
          throw new ConfigException("aws.credentials.use_instance_profile is false but no access_key_id and"
              + " secret_access_key are given");
        }
        return S3Credentials.defaultChain();
      }
      if (instanceProfile) {
        throw new ConfigException("aws.credentials.use_instance_profile: give use_instance_profile: true or an"
            + " access key pair, not both");
      }
      return S3Credentials.of(id, secret);
    });
  }

  private static S3Config readBucket(ConfigSection s3, String awsRegion, S3Credentials credentials,
      Path defaultSpillDir) {
    s3.unsupported("replication", "cross-region replication is configured on the bucket, outside Grey");
    s3.unsupported("lifecycle", "use Grey's top-level lifecycle rules");
    s3.unsupported("access_logging", "access logging is configured on the bucket, outside Grey");
    String bucket = s3.requiredString("bucket");
    String prefix = s3.string("prefix", "");
    String region = s3.string("region", awsRegion);
    String endpoint = s3.string("endpoint", "");
    boolean pathStyle = s3.bool("force_path_style", false);
    String storageClass = s3.string("storage_class", "");
    long threshold = s3.byteSize("multipart_threshold", DEFAULT_MULTIPART_THRESHOLD);
    long partSize = s3.byteSize("part_size", DEFAULT_PART_SIZE);
    int parallel = s3.integer("max_parallel_parts", DEFAULT_MAX_PARALLEL_PARTS);
    Duration presignMaxTtl = s3.duration("presign_max_ttl", PresignRequest.MAX_TTL);
    boolean tags = s3.bool("tags", true);
    Path spillDir = s3.path("spill_dir", defaultSpillDir);
    S3Encryption encryption = s3.section("encryption", S3Config::readEncryption, S3Encryption.bucketDefault());
    return s3.build(() -> {
      if (region.isEmpty()) {
        throw new ConfigException("aws.s3.region: not set: give aws.region or aws.s3.region");
      }
      return new S3Config("aws", bucket, prefix, region, endpoint, pathStyle, storageClass, threshold, partSize,
          parallel, presignMaxTtl, credentials, spillDir, tags, encryption);
    });
  }

  private static S3Encryption readEncryption(ConfigSection e) {
    String type = e.requiredString("type");
    String keyId = e.string("kms_key_id", "");
    boolean bucketKey = e.bool("bucket_key", false);
    return e.build(() -> new S3Encryption(type, keyId, bucketKey));
  }

  /** The endpoint override, if any. */
  public Optional<URI> endpointUri() {
    return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
  }

  private static void checkEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("aws.s3.endpoint '" + endpoint + "' must be an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException("aws.s3.endpoint '" + endpoint + "' is not a URL: " + e.getReason(), e);
    }
  }
}
