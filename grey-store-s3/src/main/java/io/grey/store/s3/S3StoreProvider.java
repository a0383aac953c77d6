package io.grey.store.s3;

import io.grey.core.StoreUnavailableException;
import io.grey.core.config.ConfigSection;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStoreProvider;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code s3} backend for {@link io.grey.core.store.BlobStores}: reads the {@code aws} section
 * ({@link S3Config#read}) and builds an {@link S3Store}; large bodies are staged under
 * {@code <data_dir>/tmp/s3} unless {@code aws.s3.spill_dir} says otherwise. Its description names the credential
 * source the SDK would use, judged from the config, the environment, system properties and the profile files,
 * never showing a key. Stateless and thread-safe.
 */
public final class S3StoreProvider implements BlobStoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public S3StoreProvider() {}

  @Override
  public String kind() {
    return "s3";
  }

  @Override
  public String section() {
    return "aws";
  }

  @Override
  public StoreDescription describe(ConfigSection section, StoreContext context) {
    S3Config config = S3Config.read(section, spillDir(context));
    StringBuilder target = new StringBuilder("bucket ").append(config.bucket()).append(" in ").append(config.region());
    if (!config.prefix().isEmpty()) {
      target.append(", prefix ").append(config.prefix());
    }
    target.append(config.endpoint().isEmpty() ? ", AWS endpoint" : ", endpoint " + config.endpoint());
    if (!config.storageClass().isEmpty()) {
      target.append(", storage class ").append(config.storageClass());
    }
    target.append(config.tags() ? ", object tagging on" : ", object tagging off");
    if (config.encryption().requested()) {
      target.append(", ").append(config.encryption().describe());
    }
    return new StoreDescription(kind(), "aws.s3", target.toString(),
        credentialSource(config.credentials(), context.environment()));
  }

  @Override
  public BlobStore open(ConfigSection section, StoreContext context) {
    S3Config config = S3Config.read(section, spillDir(context));
    try {
      Files.createDirectories(config.spillDir());
    } catch (IOException e) {
      throw new StoreUnavailableException("aws.s3.spill_dir " + config.spillDir() + " cannot be created: "
          + e.getMessage(), e);
    }
    return S3Store.create(config);
  }

  private static Path spillDir(StoreContext context) {
    return context.dataDir().resolve("tmp").resolve("s3");
  }

  /**
   * Which source the SDK would take credentials from, in the order of its default chain: system properties,
   * environment, web identity token, profile files, container endpoint, instance profile.
   */
  static String credentialSource(S3Credentials credentials, Map<String, String> env) {
    return switch (credentials) {
      case S3Credentials.Static pair -> "explicit access key from config";
      case S3Credentials.DefaultChain chain -> "SDK default chain (" + chainLink(env) + ")";
    };
  }

  private static String chainLink(Map<String, String> env) {
    if (System.getProperty("aws.accessKeyId") != null) {
      return "system property aws.accessKeyId set";
    }
    if (set(env, "AWS_ACCESS_KEY_ID")) {
      return "env AWS_ACCESS_KEY_ID set";
    }
    if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN")) {
      return onClassPath("software.amazon.awssdk.services.sts.StsClient")
          ? "web identity token, env AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN set"
          : "env AWS_WEB_IDENTITY_TOKEN_FILE is set, but the SDK's sts module is not on the class path, so the"
              + " chain skips it and falls through to " + afterWebIdentity(env);
    }
    return afterWebIdentity(env);
  }

  private static String afterWebIdentity(Map<String, String> env) {
    String profile = env.getOrDefault("AWS_PROFILE", System.getProperty("aws.profile", "default"));
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path credentials = Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
    Path config = Path.of(env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"));
    if (hasSection(credentials, List.of("[" + profile + "]"))) {
      return "profile '" + profile + "' in " + credentials;
    }
    if (hasSection(config, List.of("[profile " + profile + "]", "[" + profile + "]"))) {
      return "profile '" + profile + "' in " + config;
    }
    if (set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      return "container credentials endpoint, env AWS_CONTAINER_CREDENTIALS_*_URI set";
    }
    return "instance profile from the EC2 metadata service: no credentials in system properties, environment or"
        + " profile files";
  }

  private static boolean set(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static boolean hasSection(Path file, List<String> headers) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .anyMatch(headers::contains);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, S3StoreProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
