package io.grey.core.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole of Grey's configuration, one record per top-level section of {@code grey.yaml}. Immutable and
 * validated; build it with {@link ConfigLoader} or start from {@link #defaults()}.
 *
 * @param server the {@code server:} section
 * @param auth the {@code auth:} section
 * @param storage the {@code storage:} section
 * @param lifecycle the {@code lifecycle:} rules
 * @param retry the {@code retry:} section
 * @param monitoring the {@code monitoring:} section
 * @param audit the {@code audit:} section
 * @param environment the {@code environment:} value, used as the {@code grey-environment} cost tag
 *     (default {@code development})
 * @param providerSections the sections a module other than grey-core owns and reads itself, by top-level name, as
 *     written in the file with their lines; only those the file has: the backend sections ({@code aws},
 *     {@code azure}, {@code gcp}, see {@link #PROVIDER_SECTIONS}) and the sections of grey-multicloud
 *     ({@code multi_cloud}) and grey-cost ({@code cost})
 * @throws io.grey.core.ConfigException naming the key that is invalid
 */
public record GreyConfig(ServerConfig server, AuthConfig auth, StorageConfig storage,
                         List<LifecycleRuleConfig> lifecycle, RetryConfig retry, MonitoringConfig monitoring,
                         AuditConfig audit, String environment, Map<String, ConfigSection> providerSections) {
  static final String DEFAULT_ENVIRONMENT = "development";
  /** The top-level sections owned by backend modules, which the loader keeps for them. */
  public static final List<String> PROVIDER_SECTIONS = List.of("aws", "azure", "gcp");
  /**
   * Every top-level section a module other than grey-core reads itself: the backend sections, then
   * {@code multi_cloud} (grey-multicloud) and {@code cost} (grey-cost).
   */
  public static final List<String> MODULE_SECTIONS = List.of("aws", "azure", "gcp", "multi_cloud", "cost");

  public GreyConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(storage, "storage");
    lifecycle = List.copyOf(lifecycle);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(monitoring, "monitoring");
    Objects.requireNonNull(audit, "audit");
    Check.environment("environment", environment);
    for (String name : providerSections.keySet()) {
      if (!MODULE_SECTIONS.contains(name)) {
        throw Check.fail(name, "is not a module's section (known: " + String.join(", ", MODULE_SECTIONS) + ")");
      }
    }
    providerSections = Collections.unmodifiableMap(new LinkedHashMap<>(providerSections));
  }

  /** A config without backend-owned sections (every store but the local one then needs a config file). */
  public GreyConfig(ServerConfig server, AuthConfig auth, StorageConfig storage,
                    List<LifecycleRuleConfig> lifecycle, RetryConfig retry, MonitoringConfig monitoring,
                    AuditConfig audit, String environment) {
    this(server, auth, storage, lifecycle, retry, monitoring, audit, environment, Map.of());
  }

  /**
   * The module-owned section {@code name} (one of {@link #MODULE_SECTIONS}) as written in the file, as a fresh
   * reader on each call so that callers on different threads never share one; empty when the file has none.
   */
  public Optional<ConfigSection> providerSection(String name) {
    ConfigSection section = providerSections.get(name);
    return section == null ? Optional.empty() : Optional.of(section.fresh());
  }

  /** The names of the backend sections ({@code aws}, {@code azure}, {@code gcp}) this file has, in its order. */
  public List<String> backendSections() {
    return providerSections.keySet().stream().filter(PROVIDER_SECTIONS::contains).toList();
  }

  /**
   * The embedded default: 127.0.0.1:8080, data in {@code ./grey-data} (resolved against the current directory),
   * a local store under {@code <data_dir>/objects}, no tokens, no lifecycle rules, retry 5 / 100ms / 30s,
   * /metrics, no trace exporter with 10% sampling, audit to {@code <data_dir>/audit.log}, environment
   * {@code development}.
   */
  public static GreyConfig defaults() {
    return defaults(Path.of("").toAbsolutePath());
  }

  /** The embedded default with relative paths resolved against {@code baseDir}. */
  static GreyConfig defaults(Path baseDir) {
    ServerConfig server = ServerConfig.defaults(baseDir);
    return new GreyConfig(server, AuthConfig.none(), StorageConfig.under(server.dataDir()), List.of(),
        RetryConfig.defaults(), MonitoringConfig.defaults(), AuditConfig.under(server.dataDir()),
        DEFAULT_ENVIRONMENT);
  }

  /**
   * This config with {@code newServer}. A local store root, keyring or audit file that still sits at its default
   * place under the old {@code data_dir} moves along to the new one, so that {@code defaults().withServer(...)}
   * keeps everything under the chosen directory; explicitly configured paths are kept.
   */
  public GreyConfig withServer(ServerConfig newServer) {
    Path oldDir = server.dataDir();
    Path newDir = newServer.dataDir();
    StorageConfig newStorage = storage.local().equals(LocalStorageConfig.under(oldDir))
        ? storage.withLocal(LocalStorageConfig.under(newDir)) : storage;
    if (storage.encryption().keyring().equals(EncryptionConfig.under(oldDir).keyring())) {
      newStorage = newStorage.withEncryption(
          new EncryptionConfig(storage.encryption().enabled(), EncryptionConfig.under(newDir).keyring()));
    }
    AuditConfig newAudit = audit.file().equals(AuditConfig.under(oldDir).file())
        ? new AuditConfig(audit.enabled(), AuditConfig.under(newDir).file()) : audit;
    return new GreyConfig(newServer, auth, newStorage, lifecycle, retry, monitoring, newAudit, environment,
        providerSections);
  }

  /** This config with {@code newAuth}. */
  public GreyConfig withAuth(AuthConfig newAuth) {
    return new GreyConfig(server, newAuth, storage, lifecycle, retry, monitoring, audit, environment,
        providerSections);
  }

  /** This config with {@code newStorage}. */
  public GreyConfig withStorage(StorageConfig newStorage) {
    return new GreyConfig(server, auth, newStorage, lifecycle, retry, monitoring, audit, environment,
        providerSections);
  }

  /** This config with {@code newLifecycle} rules. */
  public GreyConfig withLifecycle(List<LifecycleRuleConfig> newLifecycle) {
    return new GreyConfig(server, auth, storage, newLifecycle, retry, monitoring, audit, environment,
        providerSections);
  }

  /** This config with {@code newRetry}. */
  public GreyConfig withRetry(RetryConfig newRetry) {
    return new GreyConfig(server, auth, storage, lifecycle, newRetry, monitoring, audit, environment,
        providerSections);
  }

  /** This config with {@code newMonitoring}. */
  public GreyConfig withMonitoring(MonitoringConfig newMonitoring) {
    return new GreyConfig(server, auth, storage, lifecycle, retry, newMonitoring, audit, environment,
        providerSections);
  }

  /** This config with {@code newAudit}. */
  public GreyConfig withAudit(AuditConfig newAudit) {
    return new GreyConfig(server, auth, storage, lifecycle, retry, monitoring, newAudit, environment,
        providerSections);
  }

  /** This config with {@code newEnvironment}. */
  public GreyConfig withEnvironment(String newEnvironment) {
    return new GreyConfig(server, auth, storage, lifecycle, retry, monitoring, audit, newEnvironment,
        providerSections);
  }
}
