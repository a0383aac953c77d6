package io.grey.cli;

import io.grey.core.config.AuditConfig;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LocalStorageConfig;
import io.grey.core.config.ServerConfig;
import io.grey.core.config.StorageConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of commands that work from a Grey configuration: the file, and a data directory to use instead. */
final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Grey YAML configuration (default: the embedded default, data under ./grey-data).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory to use instead of the configured server.data_dir; store root and audit file"
          + " that lie under the configured one move with it.")
  Path dataDir;

  /** The configuration: the file's, or the embedded default, with the data directory replaced when asked. */
  GreyConfig load() {
    GreyConfig loaded = config == null ? GreyConfig.defaults() : ConfigLoader.load(config);
    return dataDir == null ? loaded : withDataDir(loaded, dataDir);
  }

  /**
   * {@code config} with data directory {@code dir}; the local store root and the audit file move along when they
   * were inside the old data directory, and stay where they are when configured elsewhere.
   */
  static GreyConfig withDataDir(GreyConfig config, Path dir) {
    ServerConfig s = config.server();
    Path old = s.dataDir();
    ServerConfig server = new ServerConfig(s.host(), s.port(), dir, s.publicUrl(), s.maxPresignTtl(),
        s.lifecycleSweepInterval());
    StorageConfig storage = new StorageConfig(new LocalStorageConfig(
        moved(config.storage().local().root(), old, dir)));
    AuditConfig audit = new AuditConfig(config.audit().enabled(), moved(config.audit().file(), old, dir));
    return new GreyConfig(server, config.auth(), storage, config.lifecycle(), config.retry(), config.monitoring(),
        audit, config.environment());
  }

  private static Path moved(Path path, Path oldDir, Path newDir) {
    Path from = oldDir.toAbsolutePath().normalize();
    Path p = path.toAbsolutePath().normalize();
    return p.startsWith(from) ? newDir.resolve(from.relativize(p)) : path;
  }

  /** The server settings of {@code config} listening on {@code host} and/or {@code port} when given. */
  static GreyConfig withListen(GreyConfig config, String host, Integer port) {
    ServerConfig s = config.server();
    ServerConfig server = new ServerConfig(host == null ? s.host() : host, port == null ? s.port() : port,
        s.dataDir(), s.publicUrl(), s.maxPresignTtl(), s.lifecycleSweepInterval());
    return config.withServer(server);
  }
}
