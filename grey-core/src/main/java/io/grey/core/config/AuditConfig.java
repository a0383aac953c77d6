package io.grey.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code audit:} section: the hash-chained log of mutating calls.
 *
 * @param enabled whether calls are audited ({@code enabled}, default true)
 * @param file the log file ({@code file}, default {@code <data_dir>/audit.log})
 */
public record AuditConfig(boolean enabled, Path file) {
  public AuditConfig {
    Objects.requireNonNull(file, "file");
  }

  /** Enabled, logging to {@code <dataDir>/audit.log}. */
  public static AuditConfig under(Path dataDir) {
    return new AuditConfig(true, dataDir.resolve("audit.log"));
  }

  static AuditConfig read(ConfigSection s, Path dataDir) {
    AuditConfig d = under(dataDir);
    boolean enabled = s.bool("enabled", d.enabled());
    Path file = s.path("file", d.file());
    return s.build(() -> new AuditConfig(enabled, file));
  }
}
