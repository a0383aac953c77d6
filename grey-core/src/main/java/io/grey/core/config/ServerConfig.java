package io.grey.core.config;

import io.grey.core.store.PresignRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code server:} section: where Grey listens and keeps its data. Immutable; validated on construction.
 *
 * @param host the address to bind ({@code host}, default 127.0.0.1)
 * @param port the TCP port ({@code port}, 0-65535, default 8080; 0 picks a free port)
 * @param dataDir the directory of Grey's local state ({@code data_dir}, default ./grey-data)
 * @param publicUrl the base URL clients use ({@code public_url}; "" means http://host:port)
 * @param maxPresignTtl the longest lifetime of a presigned URL ({@code max_presign_ttl}, 1 s to 7 d, default 7d)
 * @param lifecycleSweepInterval how often lifecycle rules are applied ({@code lifecycle_sweep_interval},
 *     positive, default 1h)
 * @throws io.grey.core.ConfigException naming the key that is out of range
 */
public record ServerConfig(String host, int port, Path dataDir, String publicUrl, Duration maxPresignTtl,
                           Duration lifecycleSweepInterval) {
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_DATA_DIR = "grey-data";
  static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofHours(1);

  public ServerConfig {
    Check.host("server.host", host);
    Check.port("server.port", port);
    Objects.requireNonNull(dataDir, "dataDir");
    Check.publicUrl("server.public_url", publicUrl);
    maxPresignTtl(maxPresignTtl);
    Check.positive("server.lifecycle_sweep_interval", lifecycleSweepInterval);
  }

  /** The defaults with {@code data_dir} resolved against {@code baseDir}. */
  public static ServerConfig defaults(Path baseDir) {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, baseDir.resolve(DEFAULT_DATA_DIR).toAbsolutePath().normalize(),
        "", PresignRequest.MAX_TTL, DEFAULT_SWEEP_INTERVAL);
  }

  /** This config listening on {@code newPort}. */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, dataDir, publicUrl, maxPresignTtl, lifecycleSweepInterval);
  }

  /** This config keeping its data in {@code newDataDir}. */
  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, newDataDir, publicUrl, maxPresignTtl, lifecycleSweepInterval);
  }

  static void maxPresignTtl(Duration ttl) {
    maxPresignTtl("server.max_presign_ttl", ttl);
  }

  static void maxPresignTtl(String path, Duration ttl) {
    Check.present(path, ttl);
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(PresignRequest.MAX_TTL) > 0) {
      throw Check.fail(path, "must be between 1s and 7d, got " + ttl);
    }
  }

  static ServerConfig read(ConfigSection s) {
    ServerConfig d = defaults(s.baseDir());
    String host = s.string("host", d.host(), Check::host);
    int port = s.integer("port", d.port(), Check::port);
    Path dataDir = s.path("data_dir", d.dataDir());
    String publicUrl = s.string("public_url", d.publicUrl(), Check::publicUrl);
    Duration ttl = s.duration("max_presign_ttl", d.maxPresignTtl(), ServerConfig::maxPresignTtl);
    Duration sweep = s.duration("lifecycle_sweep_interval", d.lifecycleSweepInterval(), Check::positive);
    return s.build(() -> new ServerConfig(host, port, dataDir, publicUrl, ttl, sweep));
  }
}
