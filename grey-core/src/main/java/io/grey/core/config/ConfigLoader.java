package io.grey.core.config;

import io.grey.core.ConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code grey.yaml}. The file is one YAML mapping whose top-level sections map one to one onto
 * {@link GreyConfig}'s records (snake_case keys, camelCase fields); every absent section or key takes its
 * default. Before parsing, {@code ${VAR}} and {@code ${VAR:-default}} are replaced from the environment, line
 * by line ({@code $${} is a literal {@code ${}; comments are left alone). Relative paths resolve against the
 * file's directory. Unknown keys, wrong types and out-of-range values are refused with a
 * {@link ConfigException} whose message starts with {@code file:line:column:} and names the full key path.
 * Stateless and thread-safe.
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
    String environment = top.string("environment", d.environment(), Check::environment);
    top.finish();
    return top.build(() ->
        new GreyConfig(server, auth, storage, lifecycle, retry, monitoring, audit, environment));
  }
}
