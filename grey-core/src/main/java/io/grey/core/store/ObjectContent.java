package io.grey.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An open read of one object version: what the store knows about it, and a stream of the requested range.
 * The caller must close it. When the whole object is read the stream verifies size and SHA-256 at EOF and
 * throws {@link io.grey.core.IntegrityException} on a mismatch.
 *
 * @param info the object version being read
 * @param range the range the stream yields
 * @param stream the bytes of that range
 */
public record ObjectContent(ObjectInfo info, ReadRange range, InputStream stream) implements Closeable {

  /** Reads the whole stream into memory; for small objects and tests only. */
  public byte[] readAllBytes() {
    try (InputStream in = stream) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      stream.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
