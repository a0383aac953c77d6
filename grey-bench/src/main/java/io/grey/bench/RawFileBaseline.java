package io.grey.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline a local store is measured against: what a careful program does without Grey — stream the body
 * into a temp file, fsync it, rename it over the target, fsync the directory so the rename itself is durable;
 * read it back with a plain stream. This is the same durability the local store promises, so the ratio measures
 * Grey's own overhead (hashing, metadata, locking), not a difference in guarantees.
 */
final class RawFileBaseline {
  private final Path dir;
  private final AtomicLong tmpCounter = new AtomicLong();

  RawFileBaseline(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  void put(String name, InputStream body) throws IOException {
    Path tmp = dir.resolve(".tmp-" + tmpCounter.incrementAndGet());
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[256 * 1024];
      int n;
      while ((n = body.read(buf)) > 0) {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  long get(String name, OutputStream sink) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(name))) {
      return in.transferTo(sink);
    }
  }
}
