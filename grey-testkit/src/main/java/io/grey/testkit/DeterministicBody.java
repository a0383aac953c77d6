package io.grey.testkit;

import io.grey.core.InvalidRequestException;
import io.grey.core.store.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A reproducible pseudo-random object body of {@code size} bytes, generated on demand from {@code seed} in
 * 4 KiB blocks, so that tests can stream, slice and check bodies of any size without holding a copy. Every byte
 * is a pure function of {@code (seed, position)}; two bodies with different seeds differ. Immutable and
 * thread-safe; the streams it opens are not.
 *
 * @param seed selects the bytes
 * @param size the body length in bytes, at least 0
 */
public record DeterministicBody(long seed, long size) {
  private static final int BLOCK = 4096;
  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final int MAX_IN_MEMORY = 16 * 1024 * 1024;

  public DeterministicBody {
    if (size < 0) {
      throw new InvalidRequestException("body size must be >= 0, got " + size);
    }
  }

  /** A body of {@code size} bytes selected by {@code seed}. */
  public static DeterministicBody of(long seed, long size) {
    return new DeterministicBody(seed, size);
  }

  /**
   * A fresh stream of the whole body. Like a network stream it reports nothing through
   * {@link InputStream#available()} and does not support mark/reset.
   */
  public InputStream open() {
    return slice(0, size);
  }

  /** A fresh stream of {@code length} bytes from {@code offset}, clipped to the end of the body. */
  public InputStream slice(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new InvalidRequestException("slice needs offset >= 0 and length >= 0, got " + offset + ", " + length);
    }
    long start = Math.min(offset, size);
    long end = Math.min(size, start + length);
    return new Generated(start, end);
  }

  /** The whole body as an array; only for bodies of at most 16 MiB. */
  public byte[] bytes() {
    if (size > MAX_IN_MEMORY) {
      throw new InvalidRequestException("a " + size + "-byte body is too large to hold in memory; stream it");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("generated streams do not fail", e);
    }
  }

  /** The lower-case hex SHA-256 of the whole body, computed by streaming it. */
  public String sha256() {
    MessageDigest digest = Digests.sha256();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = open()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        digest.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new IllegalStateException("generated streams do not fail", e);
    }
    return Digests.hex(digest);
  }

  private void fillBlock(long block, byte[] into) {
    new SplittableRandom(seed * MIX + block).nextBytes(into);
  }

  private final class Generated extends InputStream {
    private final byte[] block = new byte[BLOCK];
    private long loadedBlock = -1;
    private long position;
    private final long end;

    Generated(long start, long end) {
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      Objects.checkFromIndexSize(off, len, buf.length);
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int total = 0;
      while (total < len && position < end) {
        long index = position / BLOCK;
        if (index != loadedBlock) {
          fillBlock(index, block);
          loadedBlock = index;
        }
        int within = (int) (position % BLOCK);
        int n = (int) Math.min(Math.min(len - total, BLOCK - within), end - position);
        System.arraycopy(block, within, buf, off + total, n);
        total += n;
        position += n;
      }
      return total;
    }
  }
}
