package io.grey.store.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic object bodies for the crash test: a header line {@code "<key> <seq> <fillerBytes>\n"}, then
 * filler bytes drawn from a generator seeded by key and sequence, so a reader can check every byte.
 */
final class CrashBody extends InputStream {
  private final byte[] header;
  private final long fillerBytes;
  private final SplittableRandom random;
  private long position;

  CrashBody(String key, long seq, long fillerBytes) {
    this.header = (key + " " + seq + " " + fillerBytes + "\n").getBytes(StandardCharsets.UTF_8);
    this.fillerBytes = fillerBytes;
    this.random = new SplittableRandom(key.hashCode() * 1_000_003L + seq);
  }

  long length() {
    return header.length + fillerBytes;
  }

  @Override
  public int read() {
    if (position >= length()) {
      return -1;
    }
    int b = position < header.length ? header[(int) position] & 0xff : random.nextInt(256);
    position++;
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      int b = read();
      if (b < 0) {
        break;
      }
      buf[off + n++] = (byte) b;
    }
    return n == 0 ? -1 : n;
  }

  /** The header fields of a body read back from the store. */
  record Header(String key, long seq, long fillerBytes, int headerBytes) {}

  /** Reads the header line from {@code in}. */
  static Header readHeader(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int count = 0;
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0 || ++count > 200) {
        throw new IOException("no header line");
      }
      line.append((char) b);
    }
    String[] parts = line.toString().split(" ");
    return new Header(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), count + 1);
  }

  /** Whether {@code in}, positioned after the header, holds exactly the filler of {@code header}. */
  static boolean fillerMatches(Header header, InputStream in) throws IOException {
    CrashBody expected = new CrashBody(header.key(), header.seq(), header.fillerBytes());
    expected.position = header.headerBytes();
    byte[] got = new byte[64 * 1024];
    byte[] want = new byte[64 * 1024];
    while (true) {
      int n = in.readNBytes(got, 0, got.length);
      int m = expected.readNBytes(want, 0, n == 0 ? 1 : n);
      if (n == 0) {
        return m == 0;
      }
      if (m != n || !java.util.Arrays.equals(got, 0, n, want, 0, n)) {
        return false;
      }
    }
  }
}
