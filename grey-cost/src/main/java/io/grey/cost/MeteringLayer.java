package io.grey.cost;

import io.grey.core.ObjectKey;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Meters every logical call to a named store for cost attribution: requests by class (write: put, set tags;
 * read: get, head, get tags; list; delete), the size of each object over time (a put sets it, an overwrite
 * replaces it, a delete removes it), body bytes consumed from gets (egress) and bytes written by the replicator
 * ({@link CallContext#actor()} {@value #REPLICATOR}), which count as replicated bytes (the replicator's own reads
 * are not egress). Stack it directly above
 * the retry layer: a call retried inside that layer is then counted once. Results and errors pass through
 * unchanged; a request that fails still counts as a request (clouds bill those too), but changes no size.
 * Thread-safe.
 */
public final class MeteringLayer implements Layer {
  /** The actor of replication writes and deletes. */
  public static final String REPLICATOR = "grey-replicator";

  private final Meter meter;

  MeteringLayer(Meter meter) {
    this.meter = Objects.requireNonNull(meter, "meter");
  }

  /** Returns {@code inner} with every call metered under {@code inner.name()}. */
  @Override
  public BlobStore wrap(BlobStore inner) {
    return new MeteredStore(Objects.requireNonNull(inner, "inner"), meter);
  }

  private static final class MeteredStore extends ForwardingBlobStore {
    private final Meter meter;

    MeteredStore(BlobStore inner, Meter meter) {
      super(inner);
      this.meter = meter;
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      ObjectInfo info;
      try {
        info = inner.put(key, body, options);
      } catch (RuntimeException e) {
        meter.write(name(), key);
        throw e;
      }
      meter.put(name(), key, info.size(), REPLICATOR.equals(CallContext.actor()));
      return info;
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      meter.read(name(), key);
      ObjectContent content = inner.get(key, range);
      if (REPLICATOR.equals(CallContext.actor())) {
        // The replicator's reads feed its writes elsewhere, which count as replicated bytes: not egress too.
        return content;
      }
      return new ObjectContent(content.info(), content.range(), new EgressStream(content.stream(), key));
    }

    @Override
    public Optional<ObjectInfo> head(ObjectKey key) {
      meter.read(name(), key);
      return inner.head(key);
    }

    @Override
    public ListPage list(ListRequest request) {
      meter.list(name(), request.prefix());
      return inner.list(request);
    }

    @Override
    public boolean delete(ObjectKey key) {
      boolean deleted = inner.delete(key);
      meter.delete(name(), key);
      return deleted;
    }

    @Override
    public Map<String, String> getTags(ObjectKey key) {
      meter.read(name(), key);
      return inner.getTags(key);
    }

    @Override
    public void setTags(ObjectKey key, Map<String, String> tags) {
      meter.write(name(), key);
      inner.setTags(key, tags);
    }

    /** Counts the body bytes the reader takes and reports them once, on close. Not thread-safe. */
    private final class EgressStream extends FilterInputStream {
      private final ObjectKey key;
      private long consumed;
      private boolean closed;

      EgressStream(InputStream in, ObjectKey key) {
        super(in);
        this.key = key;
      }

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          consumed++;
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          consumed += n;
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        // Skipped bytes never leave the server: they are not egress.
        return super.skip(n);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          super.close();
        } finally {
          meter.egress(name(), key, consumed);
        }
      }
    }
  }
}
