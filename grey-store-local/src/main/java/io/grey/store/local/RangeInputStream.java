package io.grey.store.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads {@code length} bytes of an open data file from {@code offset} by position, so the body is read from
 * the file version that was open when the read began, whatever renames happen meanwhile. Closes the channel.
 * Not thread-safe.
 */
final class RangeInputStream extends InputStream {
  private final FileChannel channel;
  private long position;
  private long remaining;

  RangeInputStream(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (remaining <= 0) {
      return -1;
    }
    int want = (int) Math.min(len, remaining);
    int n = channel.read(ByteBuffer.wrap(buf, off, want), position);
    if (n < 0) {
      // The data file is shorter than its trailer claims; the verifying reader reports the shortfall.
      remaining = 0;
      return -1;
    }
    position += n;
    remaining -= n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, remaining));
    position += skipped;
    remaining -= skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, remaining);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
