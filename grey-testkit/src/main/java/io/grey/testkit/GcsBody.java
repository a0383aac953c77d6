package io.grey.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The immutable bytes of one object generation in {@link GcsEmulator}: held in memory, or in a file so that a
 * multi-gigabyte object does not sit in the heap. Generations never change their bytes, so a rewrite shares the
 * body and a reader keeps streaming an old generation that was replaced meanwhile.
 */
sealed interface GcsBody {
  long size();

  /** {@code length} bytes from {@code offset}. */
  InputStream open(long offset, long length) throws IOException;

  /** A copy with the first byte flipped (bit rot behind the hashes' back). */
  GcsBody corrupted(Path dir) throws IOException;

  record InMemory(byte[] bytes) implements GcsBody {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public InputStream open(long offset, long length) {
      return new java.io.ByteArrayInputStream(bytes, (int) offset, (int) length);
    }

    @Override
    public GcsBody corrupted(Path dir) {
      byte[] copy = Arrays.copyOf(bytes, bytes.length);
      if (copy.length > 0) {
        copy[0] ^= (byte) 0xff;
      }
      return new InMemory(copy);
    }
  }

  record OnDisk(Path file, long size) implements GcsBody {
    @Override
    public InputStream open(long offset, long length) throws IOException {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      InputStream in = Channels.newInputStream(channel);
      return new java.io.FilterInputStream(in) {
        private long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buf, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
    }

    @Override
    public GcsBody corrupted(Path dir) throws IOException {
      Path copy = Files.createTempFile(dir, "corrupt", ".body");
      Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      if (size > 0) {
        try (RandomAccessFile raf = new RandomAccessFile(copy.toFile(), "rw")) {
          int first = raf.read();
          raf.seek(0);
          raf.write(first ^ 0xff);
        }
      }
      return new OnDisk(copy, size);
    }
  }

  /** Collects an incoming body while computing the MD5 and CRC32C that GCS reports for it. */
  final class Sink {
    private final Path file;
    private final OutputStream out;
    private final ByteArrayOutputStream memory;
    private final MessageDigest md5;
    private final CRC32C crc = new CRC32C();
    private long size;

    Sink(Path dir) {
      try {
        md5 = MessageDigest.getInstance("MD5");
        if (dir == null) {
          file = null;
          memory = new ByteArrayOutputStream();
          out = memory;
        } else {
          file = Files.createTempFile(dir, "obj", ".body");
          memory = null;
          out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    long size() {
      return size;
    }

    void write(byte[] buf, int off, int len) throws IOException {
      out.write(buf, off, len);
      md5.update(buf, off, len);
      crc.update(buf, off, len);
      size += len;
    }

    /** Copies {@code in} to EOF, skipping its first {@code skip} bytes (already received earlier). */
    void copy(InputStream in, long skip) throws IOException {
      byte[] buf = new byte[256 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        int from = 0;
        if (skip > 0) {
          int drop = (int) Math.min(skip, n);
          skip -= drop;
          from = drop;
        }
        if (n > from) {
          write(buf, from, n - from);
        }
      }
    }

    String md5Base64() {
      try {
        return Base64.getEncoder().encodeToString(((MessageDigest) md5.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    String crc32cBase64() {
      long value = crc.getValue();
      byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
      return Base64.getEncoder().encodeToString(bytes);
    }

    GcsBody finish() throws IOException {
      out.close();
      return file == null ? new InMemory(memory.toByteArray()) : new OnDisk(file, size);
    }

    void discard() {
      try {
        out.close();
        if (file != null) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        // A leftover temporary file of an abandoned upload is harmless.
      }
    }
  }
}
