package io.grey.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies an object body from a store stream to a response stream in constant memory (two 64 KiB buffers).
 *
 * <p>The chunk most recently read is written only after the next read has returned, so the last bytes of the
 * body reach the response only once the source has reported a clean end of stream. A store stream checks the
 * size and SHA-256 when it reaches its end; if that check fails, the final chunk is never written, the response
 * stays short of its Content-Length, and the client sees a failed transfer instead of a complete response with
 * bad bytes.
 */
final class BodyCopy {
  static final int BUFFER_SIZE = 64 * 1024;

  private BodyCopy() {}

  /**
   * Copies {@code in} to {@code out} until the end of {@code in}; returns the number of bytes copied.
   *
   * @throws IOException from either stream; any exception from {@code in} (including an integrity failure at
   *     its end) is thrown before the chunk held back has been written
   */
  static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] held = new byte[BUFFER_SIZE];
    byte[] next = new byte[BUFFER_SIZE];
    int heldLength = fill(in, held);
    long total = 0;
    while (heldLength > 0) {
      int nextLength = fill(in, next);
      out.write(held, 0, heldLength);
      total += heldLength;
      byte[] swap = held;
      held = next;
      next = swap;
      heldLength = nextLength;
    }
    return total;
  }

  /** Reads until {@code buffer} is full or the stream ends; returns the bytes read (0 only at the end). */
  private static int fill(InputStream in, byte[] buffer) throws IOException {
    int filled = 0;
    while (filled < buffer.length) {
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    return filled;
  }
}
