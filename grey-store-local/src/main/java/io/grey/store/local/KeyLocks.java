package io.grey.store.local;

import io.grey.core.ObjectKey;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped per-key locks that exclude both threads of this JVM and other processes on the same root.
 *
 * <p>Each key hashes (with {@link String#hashCode()}, which is specified and so equal in every JVM) to one of
 * {@link #STRIPES} stripes. A stripe is an in-JVM {@link ReentrantLock} plus an exclusive {@link FileLock} on
 * one byte of the root's lock file. The in-JVM lock is taken first, so one JVM never asks for an overlapping
 * file lock. POSIX record locks belong to the process and vanish when any descriptor of the file closes, so
 * all stores of one JVM on one root share a single instance and a single channel (reference counted).
 */
final class KeyLocks {
  static final int STRIPES = 1024;

  private static final Map<Path, KeyLocks> OPEN = new HashMap<>();

  private final Path lockFile;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private FileChannel channel;
  private int users;

  private KeyLocks(Path lockFile) {
    this.lockFile = lockFile;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** The shared locks of the lock file at {@code lockFile} (a real path); pair with {@link #release()}. */
  static KeyLocks acquire(Path lockFile) throws IOException {
    synchronized (OPEN) {
      KeyLocks locks = OPEN.get(lockFile);
      if (locks == null) {
        locks = new KeyLocks(lockFile);
        locks.channel = openChannel(lockFile);
        OPEN.put(lockFile, locks);
      }
      locks.users++;
      return locks;
    }
  }

  /** Drops one user; the last one closes the channel, when no lock can be held any more. */
  void release() {
    synchronized (OPEN) {
      if (--users == 0) {
        OPEN.remove(lockFile);
        try {
          channel.close();
        } catch (IOException ignored) {
          // Closing only drops locks nobody holds any more.
        }
      }
    }
  }

  /** A held key lock; closing it releases both the file lock and the in-JVM lock. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Blocks until this thread holds the lock of {@code key} in this JVM and across processes. */
  Held lock(ObjectKey key) throws IOException {
    int stripe = Math.floorMod(key.value().hashCode(), STRIPES);
    ReentrantLock local = stripes[stripe];
    local.lock();
    try {
      FileLock fileLock = fileChannel().lock(stripe, 1, false);
      return () -> {
        try {
          fileLock.release();
        } catch (ClosedChannelException gone) {
          // An interrupt closed the channel, which already dropped the lock; the write itself stands.
        } finally {
          local.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private FileChannel fileChannel() throws IOException {
    synchronized (OPEN) {
      // An interrupted lock() closes the channel; reopen so that one interrupt does not break the store.
      if (!channel.isOpen()) {
        channel = openChannel(lockFile);
      }
      return channel;
    }
  }

  private static FileChannel openChannel(Path lockFile) throws IOException {
    return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }
}
