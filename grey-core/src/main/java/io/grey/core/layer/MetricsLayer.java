package io.grey.core.layer;

import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records every call to the wrapped store in Micrometer meters, under the names of Grey's unified cloud metrics
 * (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@value #DURATION} ({@code grey_cloud_api_duration_seconds}): a timer per call, tags {@code cloud},
 *       {@code operation} (put, get, head, list, delete, get_tags, set_tags, presign) and {@code tenant}. For a
 *       get it covers opening the object only. It publishes a percentile histogram (Prometheus
 *       {@code _bucket} series, 1 ms to 30 s), so {@code histogram_quantile} computes its percentiles.
 *   <li>{@value #TRANSFER} ({@code grey_cloud_api_transfer_seconds}): for a get, the time from the call to the
 *       close of its stream (time to last byte), same tags.
 *   <li>{@value #ERRORS} ({@code grey_cloud_api_errors_total}): failed calls, tags {@code cloud},
 *       {@code operation} and {@code error} (the {@link GreyException#code()}, or {@code internal} for any
 *       other exception). A get whose stream fails while being read counts once more, as a get error.
 *   <li>{@value #BYTES_WRITTEN} / {@value #BYTES_READ} ({@code grey_cloud_bytes_written_total},
 *       {@code grey_cloud_bytes_read_total}): body bytes stored by puts and read from get streams, tags
 *       {@code cloud}, {@code tenant}.
 *   <li>{@value #STORAGE_BYTES} ({@code grey_cloud_storage_bytes}): a gauge, tags {@code cloud}, {@code tenant},
 *       of the net bytes stored through this layer since this process started: a put adds the stored size, a
 *       delete subtracts the size a {@code head} just before it reported. An overwrite adds the new size without
 *       subtracting the old one, and objects written before the start are not known, so the gauge can be off
 *       (even negative); the authoritative figure is an inventory of the store, not this gauge.
 * </ul>
 *
 * <p>The tenant tag is the key's tenant ({@link ObjectKey#tenant()}), for a list the tenant of a whole Grey
 * tenant prefix, and {@value TenantTag#NONE} otherwise. Time comes from the registry's clock. Keep one
 * MetricsLayer per registry and cloud name: the storage gauge lives in the layer. Thread-safe.
 *
 * <p>Stack it inside the retry layer ({@code Layer.stack(backend, metrics, retry)}) so that each call to the
 * cloud is counted, throttles included; outside it, a call with its retries counts once.
 */
public final class MetricsLayer implements Layer {
  /** Timer of each call. */
  public static final String DURATION = "grey.cloud.api.duration";
  /** Timer of a get from the call to the close of its stream. */
  public static final String TRANSFER = "grey.cloud.api.transfer";
  /** Counter of failed calls. */
  public static final String ERRORS = "grey.cloud.api.errors";
  /** Counter of bytes stored by puts. */
  public static final String BYTES_WRITTEN = "grey.cloud.bytes.written";
  /** Counter of bytes read from get streams. */
  public static final String BYTES_READ = "grey.cloud.bytes.read";
  /** Gauge of net bytes stored through this layer since start. */
  public static final String STORAGE_BYTES = "grey.cloud.storage.bytes";
  /** The error tag of exceptions that are not Grey errors. */
  public static final String INTERNAL_ERROR = "internal";

  private final MeterRegistry registry;
  private final String cloud;
  private final ConcurrentMap<String, AtomicLong> storedBytes = new ConcurrentHashMap<>();

  /**
   * A layer recording into {@code registry} with {@code cloud} as the cloud tag (for example {@code aws}).
   *
   * @throws InvalidRequestException if {@code cloud} is blank
   */
  public MetricsLayer(MeterRegistry registry, String cloud) {
    this.registry = Objects.requireNonNull(registry, "registry");
    if (cloud == null || cloud.isBlank()) {
      throw new InvalidRequestException("metrics cloud tag must not be blank");
    }
    this.cloud = cloud;
  }

  /** Returns {@code inner} with every call recorded; behaviour and results are unchanged. */
  @Override
  public BlobStore wrap(BlobStore inner) {
    return new MeteredStore(Objects.requireNonNull(inner, "inner"));
  }

  private Timer timer(String name, String operation, String tenant) {
    return Timer.builder(name)
        .description(name.equals(DURATION) ? "Duration of storage API calls" : "Time to last byte of reads")
        .tags("cloud", cloud, "operation", operation, "tenant", tenant)
        // Buckets rather than client-side percentiles: they add up across operations, tenants and nodes, so
        // histogram_quantile gives a store's p99 over any selection.
        .publishPercentileHistogram(name.equals(DURATION))
        .register(registry);
  }

  private void countError(String operation, Throwable error) {
    String code = error instanceof GreyException grey ? grey.code() : INTERNAL_ERROR;
    Counter.builder(ERRORS)
        .description("Failed storage API calls")
        .tags("cloud", cloud, "operation", operation, "error", code)
        .register(registry)
        .increment();
  }

  private Counter bytes(String name, String tenant) {
    return Counter.builder(name)
        .description(name.equals(BYTES_WRITTEN) ? "Body bytes stored by puts" : "Body bytes read by gets")
        .tags("cloud", cloud, "tenant", tenant)
        .register(registry);
  }

  private AtomicLong stored(String tenant) {
    return storedBytes.computeIfAbsent(tenant, t -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(STORAGE_BYTES, value, AtomicLong::get)
          .description("Net bytes stored through this process since it started")
          .baseUnit(BaseUnits.BYTES)
          .tags("cloud", cloud, "tenant", t)
          .strongReference(true)
          .register(registry);
      return value;
    });
  }

  private <T> T measure(String operation, String tenant, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    try {
      return call.get();
    } catch (RuntimeException | Error e) {
      countError(operation, e);
      throw e;
    } finally {
      sample.stop(timer(DURATION, operation, tenant));
    }
  }

  private final class MeteredStore extends ForwardingBlobStore {
    MeteredStore(BlobStore inner) {
      super(inner);
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      String tenant = TenantTag.of(key);
      ObjectInfo info = measure("put", tenant, () -> inner.put(key, body, options));
      bytes(BYTES_WRITTEN, tenant).increment(info.size());
      stored(tenant).addAndGet(info.size());
      return info;
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      String tenant = TenantTag.of(key);
      Timer.Sample transfer = Timer.start(registry);
      ObjectContent content = measure("get", tenant, () -> inner.get(key, range));
      InputStream metered = new MeteredInputStream(content.stream(), tenant, transfer);
      return new ObjectContent(content.info(), content.range(), metered);
    }

    @Override
    public Optional<ObjectInfo> head(ObjectKey key) {
      return measure("head", TenantTag.of(key), () -> inner.head(key));
    }

    @Override
    public ListPage list(ListRequest request) {
      return measure("list", TenantTag.ofListPrefix(request.prefix()), () -> inner.list(request));
    }

    @Override
    public boolean delete(ObjectKey key) {
      String tenant = TenantTag.of(key);
      Optional<ObjectInfo> before;
      try {
        before = head(key);
      } catch (RuntimeException e) {
        // The size is only for the gauge; a failed look-up (already counted) must not stop the delete.
        before = Optional.empty();
      }
      boolean deleted = measure("delete", tenant, () -> inner.delete(key));
      if (deleted && before.isPresent()) {
        stored(tenant).addAndGet(-before.get().size());
      }
      return deleted;
    }

    @Override
    public Map<String, String> getTags(ObjectKey key) {
      return measure("get_tags", TenantTag.of(key), () -> inner.getTags(key));
    }

    @Override
    public void setTags(ObjectKey key, Map<String, String> tags) {
      measure("set_tags", TenantTag.of(key), () -> {
        inner.setTags(key, tags);
        return null;
      });
    }

    @Override
    public URI presign(ObjectKey key, PresignRequest request) {
      return measure("presign", TenantTag.of(key), () -> inner.presign(key, request));
    }
  }

  /** Counts the bytes a reader takes and records the transfer time once, on close. Not thread-safe. */
  private final class MeteredInputStream extends FilterInputStream {
    private final Counter read;
    private final String tenant;
    private final Timer.Sample transfer;
    private boolean failed;
    private boolean closed;

    MeteredInputStream(InputStream in, String tenant, Timer.Sample transfer) {
      super(in);
      this.read = bytes(BYTES_READ, tenant);
      this.tenant = tenant;
      this.transfer = transfer;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b >= 0) {
          read.increment();
        }
        return b;
      } catch (IOException | RuntimeException e) {
        fail(e);
        throw e;
      }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      try {
        int n = super.read(buf, off, len);
        if (n > 0) {
          read.increment(n);
        }
        return n;
      } catch (IOException | RuntimeException e) {
        fail(e);
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        // Skipped bytes still came from the store, so they count as read.
        long skipped = super.skip(n);
        if (skipped > 0) {
          read.increment(skipped);
        }
        return skipped;
      } catch (IOException | RuntimeException e) {
        fail(e);
        throw e;
      }
    }

    private void fail(Exception e) {
      if (!failed) {
        failed = true;
        countError("get", e);
      }
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
        transfer.stop(timer(TRANSFER, "get", tenant));
      }
    }
  }
}
