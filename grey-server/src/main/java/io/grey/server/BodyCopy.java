package io.grey.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies an object body from a store stream to a response stream in constant memory: {@value #BUFFERS} buffers of
 * {@value #CHUNK_SIZE} bytes per copy.
 *
 * <p>Reading and writing overlap: a virtual thread reads (and so lets the store stream hash) the next chunks
 * while the calling thread writes the previous one to the client, so a whole-object read costs about the larger
 * of the digest and the network time rather than their sum.
 *
 * <p>The chunk most recently read is written only after the next read has returned, so the last bytes of the
 * body reach the response only once the source has reported a clean end of stream. A store stream checks the
 * size and SHA-256 when it reaches its end; if that check fails, the final chunk is never written, the response
 * stays short of its Content-Length, and the client sees a failed transfer instead of a complete response with
 * bad bytes.
 */
final class BodyCopy {
  /** The size of one copy chunk. */
  static final int CHUNK_SIZE = 256 * 1024;

  /** The read buffer of each HTTP connection, so that an upload reaches the store in large reads. */
  static final int CONNECTION_BUFFER_SIZE = 64 * 1024;

  static final int BUFFERS = 4;

  private static final Duration READER_GRACE = Duration.ofSeconds(5);

  private BodyCopy() {}

  /** A chunk read from the source, its end, or its failure. */
  private record Chunk(byte[] buffer, int length, Throwable failure) {
    static final Chunk END = new Chunk(new byte[0], 0, null);
  }

  /**
   * Copies {@code in} to {@code out} until the end of {@code in}; returns the number of bytes copied.
   *
   * @throws IOException from either stream; any exception from {@code in} (including an integrity failure at
   *     its end) is thrown before the chunk held back has been written
   */
  static long copy(InputStream in, OutputStream out) throws IOException {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new byte[CHUNK_SIZE]);
    }
    // Every queued chunk owns one of the BUFFERS buffers, so a queue of that capacity always has room for one
    // more chunk, the end marker or a failure: the reader never blocks on it.
    BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS);
    Thread reader = Thread.ofVirtual().name("grey-body-read").start(() -> read(in, free, filled));
    try {
      Chunk held = null;
      long total = 0;
      while (true) {
        Chunk next = filled.take();
        if (next.failure() != null) {
          throw rethrow(next.failure());
        }
        if (held != null) {
          out.write(held.buffer(), 0, held.length());
          total += held.length();
          free.put(held.buffer());
        }
        if (next == Chunk.END) {
          return total;
        }
        held = next;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while copying a body");
    } finally {
      reader.interrupt();
      try {
        // A reader blocked in a network read ignores the interrupt; the caller closes the source next, which
        // ends that read, so waiting longer here would only delay the error reply.
        reader.join(READER_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void read(InputStream in, BlockingQueue<byte[]> free, BlockingQueue<Chunk> filled) {
    try {
      while (true) {
        byte[] buffer = free.take();
        int n = fill(in, buffer);
        if (n == 0) {
          filled.put(Chunk.END);
          return;
        }
        filled.put(new Chunk(buffer, n, null));
      }
    } catch (InterruptedException e) {
      // The writer stopped (client gone or failure); nothing more to do.
    } catch (Throwable t) {
      filled.offer(new Chunk(new byte[0], 0, t));
    }
  }

  private static IOException rethrow(Throwable failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new IOException(failure);
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
