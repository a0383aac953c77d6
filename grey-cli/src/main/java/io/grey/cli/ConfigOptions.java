package io.grey.cli;

import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.MonitoringConfig;
import io.grey.core.config.OpenTelemetryConfig;
import io.grey.core.config.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of commands that work from a Grey configuration: the file, and a data directory to use instead. */
final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Grey YAML configuration (default: the embedded default, data under ./grey-data).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory to use instead of the configured server.data_dir; the store root, the"
          + " encryption keyring and the audit file move with it unless configured elsewhere.")
  Path dataDir;

  /**
   * The configuration: the file's, or the embedded default, with the data directory replaced when asked. The
   * embedded default exports traces to {@code GREY_OTEL_ENDPOINT} when that is set, as the example file's
   * {@code ${GREY_OTEL_ENDPOINT:-}} does.
   *
   * @throws io.grey.core.ConfigException if the file, or {@code GREY_OTEL_ENDPOINT}, is invalid
   */
  GreyConfig load(CliEnvironment env) {
    GreyConfig loaded = config == null ? embeddedDefault(env) : ConfigLoader.load(config, env.variables());
    return dataDir == null ? loaded : withDataDir(loaded, dataDir);
  }

  private static GreyConfig embeddedDefault(CliEnvironment env) {
    GreyConfig defaults = GreyConfig.defaults();
    String endpoint = env.variables().getOrDefault("GREY_OTEL_ENDPOINT", "").strip();
    if (endpoint.isEmpty()) {
      return defaults;
    }
    MonitoringConfig monitoring = defaults.monitoring();
    return defaults.withMonitoring(new MonitoringConfig(monitoring.prometheus(),
        new OpenTelemetryConfig(endpoint, monitoring.opentelemetry().sampleRate())));
  }

  /**
   * {@code config} with data directory {@code dir} (made absolute against the current directory); the local
   * store root, the keyring and the audit file move along when they were at their default place under the old one.
   */
  static GreyConfig withDataDir(GreyConfig config, Path dir) {
    return config.withServer(config.server().withDataDir(dir.toAbsolutePath().normalize()));
  }

  /** The server settings of {@code config} listening on {@code host} and/or {@code port} when given. */
  static GreyConfig withListen(GreyConfig config, String host, Integer port) {
    ServerConfig s = config.server();
    ServerConfig server = new ServerConfig(host == null ? s.host() : host, port == null ? s.port() : port,
        s.dataDir(), s.publicUrl(), s.maxPresignTtl(), s.lifecycleSweepInterval());
    return config.withServer(server);
  }
}
