package io.grey.store.s3;

import io.grey.core.InvalidRequestException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.HashingInputStream;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A put body read to its end before anything is sent, because its SHA-256 goes into the object's metadata and
 * S3 takes metadata only before the body. Bodies up to the multipart threshold stay in memory (one array of at
 * most the threshold); longer ones are spilled to a temp file that {@link #close()} deletes. Not thread-safe.
 */
sealed interface StagedBody extends AutoCloseable permits StagedBody.InMemory, StagedBody.Spilled {

  /** Body length in bytes. */
  long size();

  /** Lower-case hex SHA-256 of the body. */
  String sha256();

  /** Deletes the spill file, if any; never throws. */
  @Override
  void close();

  /** A body held in {@code bytes[0, size)}. */
  record InMemory(byte[] bytes, int length, String sha256) implements StagedBody {
    @Override
    public long size() {
      return length;
    }

    InputStream open() {
      return new ByteArrayInputStream(bytes, 0, length);
    }

    @Override
    public void close() {}
  }

  /** A body staged in {@code file}. */
  record Spilled(Path file, long size, String sha256) implements StagedBody {
    @Override
    public void close() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file must not hide the outcome of the put; the spill dir is the operator's to sweep.
      }
    }
  }

  /**
   * Reads {@code body} to its end (or exactly {@code declaredLength} bytes), hashing it on the way.
   *
   * @throws InvalidRequestException if the body is shorter or longer than a declared length, or cannot be read
   * @throws StoreUnavailableException if the spill file cannot be written
   */
  static StagedBody stage(InputStream body, long declaredLength, long threshold, Path spillDir) {
    HashingInputStream hashing = new HashingInputStream(body);
    boolean known = declaredLength != PutOptions.UNKNOWN_LENGTH;
    if (known && declaredLength <= threshold) {
      byte[] bytes = new byte[(int) declaredLength];
      int n = readFully(hashing, bytes, 0, bytes.length);
      checkLength(n, declaredLength, body);
      return new InMemory(bytes, n, hashing.sha256Hex());
    }
    byte[] head = new byte[0];
    int buffered = 0;
    if (!known) {
      // Most unknown-length bodies are small: keep them in memory unless they outgrow the threshold.
      head = new byte[(int) Math.min(threshold + 1, 64 * 1024)];
      while (true) {
        int n = readFully(hashing, head, buffered, head.length - buffered);
        buffered += n;
        if (buffered < head.length) {
          return new InMemory(head, buffered, hashing.sha256Hex());
        }
        if (head.length > threshold) {
          break;
        }
        head = Arrays.copyOf(head, (int) Math.min(threshold + 1, (long) head.length * 2));
      }
    }
    return spill(hashing, head, buffered, known ? declaredLength : Long.MAX_VALUE, body, spillDir);
  }

  private static Spilled spill(HashingInputStream hashing, byte[] head, int buffered, long limit, InputStream raw,
      Path spillDir) {
    Path file;
    try {
      Files.createDirectories(spillDir);
      file = Files.createTempFile(spillDir, "grey-s3-", ".spill");
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create a spill file in " + spillDir + ": " + e.getMessage(), e);
    }
    try {
      long total = buffered;
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(head, 0, buffered);
        byte[] buf = new byte[256 * 1024];
        while (total < limit) {
          int want = (int) Math.min(buf.length, limit - total);
          int n = readFully(hashing, buf, 0, want);
          out.write(buf, 0, n);
          total += n;
          if (n < want) {
            break;
          }
        }
      } catch (IOException e) {
        throw new StoreUnavailableException("cannot write the spill file " + file + ": " + e.getMessage(), e);
      }
      if (limit != Long.MAX_VALUE) {
        checkLength(total, limit, raw);
      }
      return new Spilled(file, total, hashing.sha256Hex());
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void checkLength(long read, long declared, InputStream raw) {
    if (read < declared) {
      throw new InvalidRequestException("body is shorter than its declared length: " + read + " of " + declared
          + " bytes");
    }
    int extra;
    try {
      extra = raw.read();
    } catch (IOException e) {
      throw new InvalidRequestException("cannot read the body: " + e.getMessage(), e);
    }
    if (extra >= 0) {
      throw new InvalidRequestException("body is longer than its declared length of " + declared + " bytes");
    }
  }

  /** Reads until {@code len} bytes or EOF; a failure of the caller's stream is the caller's bad request. */
  private static int readFully(InputStream in, byte[] buf, int off, int len) {
    try {
      return in.readNBytes(buf, off, len);
    } catch (IOException e) {
      throw new InvalidRequestException("cannot read the body: " + e.getMessage(), e);
    }
  }
}
