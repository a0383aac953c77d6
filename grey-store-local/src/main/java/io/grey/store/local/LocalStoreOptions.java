package io.grey.store.local;

import io.grey.core.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a {@link LocalStore}: its root directory, its name, its clock and its optional presigner.
 * Immutable and thread-safe; the {@code with...} methods return modified copies.
 *
 * @param root the directory that holds the objects; created when missing
 * @param name the store's name in metrics, logs and errors
 * @param clock the time source for last-modified stamps, versions and stale temp-file cleanup
 * @param presigner signs presigned URLs; when empty the store has no presign capability
 */
public record LocalStoreOptions(Path root, String name, Clock clock, Optional<LocalPresigner> presigner) {

  public LocalStoreOptions {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(presigner, "presigner");
    if (name.isBlank()) {
      throw new ConfigException("local store name must not be blank");
    }
  }

  /** Options for a store under {@code root} named "local", on the system UTC clock, without a presigner. */
  public static LocalStoreOptions of(Path root) {
    return new LocalStoreOptions(root, "local", Clock.systemUTC(), Optional.empty());
  }

  /** A copy with {@code newName} as the store's name. */
  public LocalStoreOptions withName(String newName) {
    return new LocalStoreOptions(root, newName, clock, presigner);
  }

  /** A copy that takes time from {@code newClock}. */
  public LocalStoreOptions withClock(Clock newClock) {
    return new LocalStoreOptions(root, name, newClock, presigner);
  }

  /** A copy that signs presigned URLs with {@code newPresigner}, which turns the presign capability on. */
  public LocalStoreOptions withPresigner(LocalPresigner newPresigner) {
    return new LocalStoreOptions(root, name, clock, Optional.of(newPresigner));
  }
}
