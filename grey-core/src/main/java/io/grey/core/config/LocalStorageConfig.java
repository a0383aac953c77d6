package io.grey.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code storage.local:} section: the directory store every Grey node has.
 *
 * @param root the directory objects live under ({@code root}, default {@code <data_dir>/objects})
 */
public record LocalStorageConfig(Path root) {
  public LocalStorageConfig {
    Objects.requireNonNull(root, "root");
  }

  /** The default root under {@code dataDir}. */
  public static LocalStorageConfig under(Path dataDir) {
    return new LocalStorageConfig(dataDir.resolve("objects"));
  }

  static LocalStorageConfig read(ConfigSection s, Path dataDir) {
    Path root = s.path("root", under(dataDir).root());
    return s.build(() -> new LocalStorageConfig(root));
  }
}
