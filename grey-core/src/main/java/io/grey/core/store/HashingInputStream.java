package io.grey.core.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while counting them and feeding a SHA-256 digest; stores use it on the write path so
 * that the digest is computed in the same pass that moves the bytes. Not thread-safe.
 */
public final class HashingInputStream extends FilterInputStream {
  private final MessageDigest digest = Digests.sha256();
  private long count;

  public HashingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      digest.update(buf, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping would leave bytes out of the digest; read them instead.
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 0))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** Lower-case hex SHA-256 of the bytes read so far; call once, at EOF. */
  public String sha256Hex() {
    return Digests.hex(digest);
  }
}
