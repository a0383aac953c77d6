package io.grey.core.store;

import io.grey.core.IntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Yields a whole object's bytes and, at EOF, checks that their count and SHA-256 match what the store recorded.
 * A mismatch throws {@link IntegrityException} from the read that reaches EOF, so a caller that reads to the
 * end never silently accepts corrupted bytes.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final MessageDigest digest = Digests.sha256();
  private final String expectedSha256;
  private final long expectedSize;
  private final String what;
  private long count;
  private boolean verified;

  /**
   * @param in the raw body
   * @param expectedSha256 lower-case hex digest the store recorded
   * @param expectedSize size the store recorded
   * @param what the object, named in the error
   */
  public VerifyingInputStream(InputStream in, String expectedSha256, long expectedSize, String what) {
    super(in);
    this.expectedSha256 = expectedSha256;
    this.expectedSize = expectedSize;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      verify();
    } else if (n > 0) {
      digest.update(buf, off, n);
      count += n;
      if (count > expectedSize) {
        throw new IntegrityException(what + ": more bytes than the recorded size " + expectedSize);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
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

  private void verify() {
    if (verified) {
      return;
    }
    verified = true;
    if (count != expectedSize) {
      throw new IntegrityException(what + ": read " + count + " bytes, the store recorded " + expectedSize);
    }
    String actual = Digests.hex(digest);
    if (!actual.equals(expectedSha256)) {
      throw new IntegrityException(what + ": SHA-256 " + actual + " does not match the recorded " + expectedSha256);
    }
  }
}
