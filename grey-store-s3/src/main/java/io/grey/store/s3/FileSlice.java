package io.grey.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * Bytes {@code [offset, offset + length)} of a file as a request body the SDK may open more than once (it reads
 * once to sign the payload and once to send it). Each stream reads through its own channel with positional
 * reads, so parts of one file upload in parallel without sharing state. {@link #close()} closes every stream
 * the SDK opened; memory per stream is the caller's read buffer only.
 */
final class FileSlice implements ContentStreamProvider, AutoCloseable {
  private final Path file;
  private final long offset;
  private final long length;
  private final List<InputStream> opened = new ArrayList<>();

  FileSlice(Path file, long offset, long length) {
    this.file = file;
    this.offset = offset;
    this.length = length;
  }

  @Override
  public synchronized InputStream newStream() {
    try {
      InputStream stream = new SliceStream(FileChannel.open(file, StandardOpenOption.READ), offset, length);
      opened.add(stream);
      return stream;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spill file " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    for (InputStream stream : opened) {
      try {
        stream.close();
      } catch (IOException e) {
        // Closing a read-only channel cannot lose data.
      }
    }
    opened.clear();
  }

  private static final class SliceStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    SliceStream(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(buf, off, (int) Math.min(len, end - position)), position);
      if (n < 0) {
        throw new IOException("spill file ended before the part's last byte");
      }
      position += n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
