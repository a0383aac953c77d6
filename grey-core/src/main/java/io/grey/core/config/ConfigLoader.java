package io.grey.core.config;

import io.grey.core.ConfigException;
import io.grey.core.ProviderNotAvailableException;
import io.grey.core.store.BlobStoreProvider;
import io.grey.core.store.BlobStores;
import io.grey.core.store.StoreContext;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code grey.yaml}. The file is one YAML mapping whose top-level sections map one to one onto
 * {@link GreyConfig}'s records (snake_case keys, camelCase fields); every absent section or key takes its
 * default. Before parsing, {@code ${VAR}} and {@code ${VAR:-default}} are replaced from the environment, line
 * by line ({@code $${} is a literal {@code ${}; comments are left alone). Relative paths resolve against the
 * file's directory. Unknown keys, wrong types and out-of-range values are refused with a
 * {@link ConfigException} whose message starts with {@code file:line:column:} and names the full key path.
 *
 * <p>The sections a backend module owns ({@code aws}, {@code azure}, {@code gcp}) are kept as written, with their
 * lines, in {@link GreyConfig#providerSection}, and checked by that module's {@link BlobStoreProvider} found
 * through {@link BlobStores}; a section whose module is not on the class path, or a {@code storage.backend}
 * without one, is refused with a {@link ProviderNotAvailableException} naming the module to add. Stateless and
 * thread-safe.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads {@code file}, substituting from {@link System#getenv()}.
   *
   * @throws ConfigException if the file is missing, unreadable or invalid
   */
  public static GreyConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** Loads {@code file}, substituting from {@code env}. */
  public static GreyConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": config file is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), env, dir);
  }

  /**
   * Parses {@code yaml}; {@code source} names it in messages; relative paths resolve against the current
   * directory.
   */
  public static GreyConfig parse(String yaml, String source, Map<String, String> env) {
    return parse(yaml, source, env, Path.of("").toAbsolutePath());
  }

  /** Parses {@code yaml} with relative paths resolved against {@code baseDir}. */
  public static GreyConfig parse(String yaml, String source, Map<String, String> env, Path baseDir) {
    String text = Substitution.apply(yaml.replace("\r\n", "\n"), source, env);
    ConfigSection top = ConfigSection.root(YamlTree.parse(text, source), baseDir.toAbsolutePath().normalize());
    GreyConfig d = GreyConfig.defaults(top.baseDir());
    // One line per top-level section; a new section is a record with a read method and a line here.
    ServerConfig server = top.section("server", ServerConfig::read, d.server());
    AuthConfig auth = top.section("auth", AuthConfig::read, d.auth());
    StorageConfig storage = top.section("storage", s -> StorageConfig.read(s, server.dataDir()),
        StorageConfig.under(server.dataDir()));
    List<LifecycleRuleConfig> lifecycle = top.list("lifecycle", LifecycleRuleConfig::read, d.lifecycle());
    RetryConfig retry = top.section("retry", RetryConfig::read, d.retry());
    MonitoringConfig monitoring = top.section("monitoring", MonitoringConfig::read, d.monitoring());
    AuditConfig audit = top.section("audit", s -> AuditConfig.read(s, server.dataDir()),
        AuditConfig.under(server.dataDir()));
    Map<String, ConfigSection> providers = new LinkedHashMap<>();
    for (String name : GreyConfig.MODULE_SECTIONS) {
      top.child(name).ifPresent(section -> providers.put(name, section));
    }
    String environment = top.string("environment", d.environment(), Check::environment);
    top.finish();
    GreyConfig config = top.build(() ->
        new GreyConfig(server, auth, storage, lifecycle, retry, monitoring, audit, environment, providers));
    checkProviders(config, top, env);
    return config;
  }

  /** Has each backend section checked by its provider, and makes sure the chosen backend has its module. */
  private static void checkProviders(GreyConfig config, ConfigSection top, Map<String, String> env) {
    StoreContext context = StoreContext.of(config, env);
    for (String name : config.backendSections()) {
      BlobStoreProvider provider = provider(BlobStores.kindReading(name), top.keyLocation(name) + ": " + name);
      provider.describe(config.providerSection(name).orElseThrow(), context);
    }
    String backend = config.storage().backend();
    if (!backend.equals(StorageConfig.DEFAULT_BACKEND)) {
      String section = BlobStores.sectionOf(backend);
      String where = top.child("storage").map(s -> s.keyLocation("backend")).orElse(top.location());
      if (config.providerSection(section).isEmpty()) {
        throw new ConfigException(where + ": storage.backend: '" + backend + "' reads its settings from an '"
            + section + "' section, which this file does not have");
      }
      provider(backend, where + ": storage.backend");
    }
  }

  private static BlobStoreProvider provider(String kind, String where) {
    Optional<BlobStoreProvider> found = BlobStores.find(kind);
    if (found.isEmpty()) {
      throw new ProviderNotAvailableException(where + ": " + BlobStores.notAvailable(kind));
    }
    return found.get();
  }
}
