package io.grey.store.local;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Pushes a large body to disk while it is still being hashed and written: after every {@link #STEP} bytes a
 * virtual thread forces the file's data, so the final fsync of the put only has the tail left to write and the
 * disk works while the CPU hashes. Small bodies never start a flush. Used by one writing thread.
 */
final class BackgroundFlush implements AutoCloseable {
  static final long STEP = 8L << 20;

  private final FileChannel channel;
  private final boolean enabled;
  private long flushedUpTo;
  private FutureTask<Void> running;

  BackgroundFlush(FileChannel channel, boolean enabled) {
    this.channel = channel;
    this.enabled = enabled;
  }

  /** Notes that {@code size} bytes have been written; may start a flush in the background. */
  void written(long size) throws IOException {
    if (!enabled || size - flushedUpTo < STEP) {
      return;
    }
    if (running != null) {
      if (!running.isDone()) {
        return;
      }
      await();
    }
    flushedUpTo = size;
    running = new FutureTask<>(() -> {
      channel.force(false);
      return null;
    });
    Thread.ofVirtual().name("grey-local-flush").start(running);
  }

  /** Waits for the flush in progress, if any, and reports its failure. */
  @Override
  public void close() throws IOException {
    if (running != null) {
      await();
    }
  }

  private void await() throws IOException {
    FutureTask<Void> task = running;
    running = null;
    try {
      task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ClosedChannelException) {
        return;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("background flush failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a background flush", e);
    }
  }
}
