package io.grey.core.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a store took from a put body since the last {@link #restart()}, so that the retry layer
 * knows whether the body is still untouched. Hides mark/reset from the store because the retry layer owns the
 * body's mark. Not thread-safe (one put reads it).
 */
final class ConsumptionCountingInputStream extends FilterInputStream {
  private long consumed;

  ConsumptionCountingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      consumed++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      consumed += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    if (skipped > 0) {
      consumed += skipped;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // Not supported: see markSupported().
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported on a put body seen through the retry layer");
  }

  long consumed() {
    return consumed;
  }

  void restart() {
    consumed = 0;
  }
}
