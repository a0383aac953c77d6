package io.grey.core.crypto;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Holds one object's ciphertext between encryption and the wrapped store's put: in memory up to a small bound,
 * then in a file created 0600 under the spool directory, so memory per put stays constant whatever the size.
 * {@link #close()} deletes the file. Not thread-safe (one put uses it).
 */
final class Spool extends OutputStream {
  private final Path directory;
  private final int memoryLimit;
  private byte[] memory = new byte[8192];
  private int count;
  private Path file;
  private OutputStream fileOut;

  Spool(Path directory, int memoryLimit) {
    this.directory = directory;
    this.memoryLimit = memoryLimit;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    if (fileOut == null && count + len > memoryLimit) {
      spill();
    }
    if (fileOut != null) {
      fileOut.write(buf, off, len);
      return;
    }
    if (count + len > memory.length) {
      memory = Arrays.copyOf(memory, Math.min(memoryLimit, Math.max(memory.length * 2, count + len)));
    }
    System.arraycopy(buf, off, memory, count, len);
    count += len;
  }

  private void spill() throws IOException {
    Files.createDirectories(directory);
    FileAttribute<?>[] attributes = Files.getFileStore(directory).supportsFileAttributeView("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    file = Files.createTempFile(directory, "grey-enc-", ".spool", attributes);
    fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
    fileOut.write(memory, 0, count);
    memory = null;
  }

  /** Finishes writing and opens what was written for reading. */
  InputStream input() throws IOException {
    if (fileOut == null) {
      return new ByteArrayInputStream(memory, 0, count);
    }
    fileOut.close();
    return Files.newInputStream(file);
  }

  /** Where the spool is, for error messages. */
  String where() {
    return file == null ? "encryption spool (in memory)" : "encryption spool " + file;
  }

  /** Discards the spool and deletes its file, if any. */
  @Override
  public void close() throws IOException {
    memory = null;
    try {
      if (fileOut != null) {
        fileOut.close();
      }
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }
}
