package io.grey.store.azure;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The body of one download response as a blocking {@link InputStream}. It asks the publisher for at most
 * {@value #IN_FLIGHT} buffers ahead of the reader, so a body of any size streams in constant memory and the
 * connection is read only as fast as the caller consumes.
 * Closing before the end cancels the response, which releases the connection without draining it. One reader
 * at a time; the publisher's threads only enqueue.
 */
final class BodyStream extends InputStream implements Subscriber<ByteBuffer> {
  static final int IN_FLIGHT = 32;
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final String where;
  private volatile Subscription subscription;
  private ByteBuffer current;
  private boolean ended;
  private volatile boolean closed;

  private BodyStream(String where) {
    this.where = where;
  }

  /** Subscribes to {@code body} and returns the stream over it; {@code where} names the blob in read errors. */
  static BodyStream of(Publisher<ByteBuffer> body, String where) {
    BodyStream stream = new BodyStream(where);
    body.subscribe(stream);
    return stream;
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    if (closed) {
      // Closed before the publisher attached: release the response instead of buffering it.
      s.cancel();
      return;
    }
    s.request(IN_FLIGHT);
  }

  @Override
  public void onNext(ByteBuffer buffer) {
    queue.add(buffer);
  }

  @Override
  public void onError(Throwable error) {
    queue.add(new Failure(error));
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("azure: the body of " + where + " was closed");
    }
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.remaining());
    current.get(buf, off, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!ended && subscription != null) {
      subscription.cancel();
    }
    queue.clear();
    current = null;
  }

  /** Makes {@code current} a buffer with bytes left; false at the end of the body. */
  private boolean fill() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (ended) {
        return false;
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("azure: interrupted while reading " + where);
      }
      if (next == END) {
        ended = true;
        return false;
      }
      if (next instanceof Failure failure) {
        ended = true;
        throw new IOException("azure: reading " + where + " failed: " + AzureErrors.map("read", where,
            failure.error()).getMessage(), failure.error());
      }
      current = (ByteBuffer) next;
      // One buffer handed to the reader, one more may come: the window stays IN_FLIGHT buffers wide.
      subscription.request(1);
    }
    return true;
  }

  private record Failure(Throwable error) {}
}
