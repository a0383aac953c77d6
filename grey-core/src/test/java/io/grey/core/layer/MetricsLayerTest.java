package io.grey.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.IntegrityException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsLayerTest {
  private static final ObjectKey ACME = ObjectKey.of("artifacts/acme/task-1/model.bin");
  private static final ObjectKey GLOBEX = ObjectKey.of("state/globex/cursor");
  private static final ObjectKey PLAIN = ObjectKey.of("scratch/file.txt");

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final InMemoryStore memory = new InMemoryStore("mem");
  private final FlakyStore flaky = new FlakyStore(memory);

  private BlobStore metered(MeterRegistry into) {
    return new MetricsLayer(into, "aws").wrap(new ClockAdvancingStore(flaky, clock, Duration.ofMillis(25)));
  }

  private BlobStore metered() {
    return metered(registry);
  }

  private static void put(BlobStore store, ObjectKey key, int size) {
    store.put(key, new ByteArrayInputStream(new byte[size]), PutOptions.ofLength(size));
  }

  private Timer timer(String name, String operation, String tenant) {
    return registry.get(name).tags("cloud", "aws", "operation", operation, "tenant", tenant).timer();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private double storedBytes(String tenant) {
    return registry.get(MetricsLayer.STORAGE_BYTES).tags("cloud", "aws", "tenant", tenant).gauge().value();
  }

  @Test
  void aPutIsTimedWithCloudOperationAndTenantTags() {
    put(metered(), ACME, 10);

    Timer timer = timer(MetricsLayer.DURATION, "put", "acme");
    assertThat(timer.count()).as("put calls timed").isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).as("time the store took, from the registry clock")
        .isEqualTo(25.0);
  }

  @Test
  void everyOperationIsTimedUnderItsOwnName() {
    BlobStore store = metered();
    put(store, ACME, 3);
    store.get(ACME).close();
    store.head(ACME);
    store.list(ListRequest.prefix("artifacts/acme/"));
    store.getTags(ACME);
    store.setTags(ACME, Map.of("team", "ml"));
    store.presign(ACME, io.grey.core.store.PresignRequest.get(Duration.ofMinutes(1)));
    store.delete(ACME);

    for (String operation : new String[] {"put", "get", "list", "get_tags", "set_tags", "presign", "delete"}) {
      assertThat(timer(MetricsLayer.DURATION, operation, "acme").count()).as("%s calls", operation).isEqualTo(1);
    }
    assertThat(timer(MetricsLayer.DURATION, "head", "acme").count())
        .as("head calls: the caller's and the one before the delete").isEqualTo(2);
  }

  @Test
  void keysOutsideAGreyTenantAreTaggedNone() {
    put(metered(), PLAIN, 1);

    assertThat(timer(MetricsLayer.DURATION, "put", "none").count()).as("put of a non-tenant key").isEqualTo(1);
  }

  @Test
  void aListTakesItsTenantFromAWholeTenantPrefixOnly() {
    BlobStore store = metered();
    store.list(ListRequest.prefix("state/globex/"));
    store.list(ListRequest.prefix("state/glo"));
    store.list(ListRequest.prefix(""));

    assertThat(timer(MetricsLayer.DURATION, "list", "globex").count()).as("list of a tenant prefix").isEqualTo(1);
    assertThat(timer(MetricsLayer.DURATION, "list", "none").count())
        .as("lists of a partial tenant segment and of everything").isEqualTo(2);
  }

  @Test
  void failedCallsAreTimedAndCountedByErrorCode() {
    assertThatThrownBy(() -> metered().get(GLOBEX)).isInstanceOf(NotFoundException.class);

    assertThat(timer(MetricsLayer.DURATION, "get", "globex").count()).as("failed get still timed").isEqualTo(1);
    assertThat(counter(MetricsLayer.ERRORS, "cloud", "aws", "operation", "get", "error", "not_found"))
        .as("not_found errors of get").isEqualTo(1.0);
  }

  @Test
  void exceptionsThatAreNotGreyErrorsAreCountedAsInternal() {
    flaky.failNext("head", new IllegalStateException("bug"));

    assertThatThrownBy(() -> metered().head(ACME)).isInstanceOf(IllegalStateException.class);

    assertThat(counter(MetricsLayer.ERRORS, "cloud", "aws", "operation", "head", "error", "internal"))
        .as("internal errors of head").isEqualTo(1.0);
  }

  @Test
  void bytesWrittenAndReadAreCountedPerTenant() {
    BlobStore store = metered();
    put(store, ACME, 100);
    put(store, GLOBEX, 7);
    try (ObjectContent content = store.get(ACME, ReadRange.of(10, 40))) {
      content.readAllBytes();
    }

    assertThat(counter(MetricsLayer.BYTES_WRITTEN, "cloud", "aws", "tenant", "acme")).as("acme written").isEqualTo(100.0);
    assertThat(counter(MetricsLayer.BYTES_WRITTEN, "cloud", "aws", "tenant", "globex")).as("globex written").isEqualTo(7.0);
    assertThat(counter(MetricsLayer.BYTES_READ, "cloud", "aws", "tenant", "acme")).as("acme read (the range)").isEqualTo(40.0);
  }

  @Test
  void aGetIsTimedToOpenAndSeparatelyToTheCloseOfItsStream() throws IOException {
    BlobStore store = metered();
    put(store, ACME, 10);

    ObjectContent content = store.get(ACME);
    clock.add(Duration.ofMillis(300));
    content.stream().readAllBytes();
    content.close();
    content.close();

    assertThat(timer(MetricsLayer.DURATION, "get", "acme").totalTime(TimeUnit.MILLISECONDS))
        .as("opening the object").isEqualTo(25.0);
    Timer transfer = timer(MetricsLayer.TRANSFER, "get", "acme");
    assertThat(transfer.count()).as("one transfer, however often the stream is closed").isEqualTo(1);
    assertThat(transfer.totalTime(TimeUnit.MILLISECONDS)).as("time to last byte").isEqualTo(325.0);
  }

  @Test
  void aStreamThatFailsWhileBeingReadCountsAsAGetError() {
    BlobStore corrupting = new ForwardingBlobStore(memory) {
      @Override
      public ObjectContent get(ObjectKey key, ReadRange range) {
        ObjectContent real = super.get(key, range);
        InputStream failing = new FilterInputStream(real.stream()) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IntegrityException("digest mismatch");
          }
        };
        return new ObjectContent(real.info(), real.range(), failing);
      }
    };
    BlobStore store = new MetricsLayer(registry, "aws").wrap(corrupting);
    put(store, ACME, 10);

    try (ObjectContent content = store.get(ACME)) {
      assertThatThrownBy(content::readAllBytes).isInstanceOf(IntegrityException.class);
    }

    assertThat(counter(MetricsLayer.ERRORS, "cloud", "aws", "operation", "get", "error", "integrity_mismatch"))
        .as("integrity errors while reading").isEqualTo(1.0);
  }

  @Test
  void storedBytesAddPutSizesAndSubtractDeletedSizes() {
    BlobStore store = metered();
    put(store, ACME, 100);
    put(store, ObjectKey.of("artifacts/acme/task-1/b.bin"), 50);
    put(store, GLOBEX, 5);
    store.delete(ACME);
    store.delete(ObjectKey.of("artifacts/acme/task-1/never-written"));

    assertThat(storedBytes("acme")).as("acme: 100 + 50 - 100").isEqualTo(50.0);
    assertThat(storedBytes("globex")).as("globex").isEqualTo(5.0);
  }

  @Test
  void aFailedPutChangesNeitherStoredNorWrittenBytes() {
    BlobStore store = metered();
    put(store, ACME, 10);
    flaky.failNext("put", new io.grey.core.StoreUnavailableException("down"));

    assertThatThrownBy(() -> put(store, ACME, 99)).isInstanceOf(io.grey.core.StoreUnavailableException.class);

    assertThat(storedBytes("acme")).as("stored bytes").isEqualTo(10.0);
    assertThat(counter(MetricsLayer.BYTES_WRITTEN, "cloud", "aws", "tenant", "acme")).as("written").isEqualTo(10.0);
  }

  @Test
  void prometheusExposesTheMetricsUnderGreysNames() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BlobStore store = metered(prometheus);
    put(store, ACME, 42);
    store.get(ACME).close();
    assertThatThrownBy(() -> store.get(GLOBEX)).isInstanceOf(NotFoundException.class);

    String scrape = prometheus.scrape();

    assertThat(scrape).as("scrape text")
        .contains("grey_cloud_api_duration_seconds_count{cloud=\"aws\",operation=\"put\",tenant=\"acme\"} 1")
        .contains("grey_cloud_api_duration_seconds_sum{cloud=\"aws\",operation=\"put\",tenant=\"acme\"}")
        .contains("grey_cloud_api_transfer_seconds_count{cloud=\"aws\",operation=\"get\",tenant=\"acme\"} 1")
        .contains("grey_cloud_api_errors_total{cloud=\"aws\",error=\"not_found\",operation=\"get\"} 1")
        .contains("grey_cloud_bytes_written_total{cloud=\"aws\",tenant=\"acme\"} 42")
        .contains("grey_cloud_storage_bytes{cloud=\"aws\",tenant=\"acme\"} 42");
  }

  @Test
  void callDurationsArePublishedAsHistogramBucketsSoPrometheusCanComputePercentiles() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BlobStore store = metered(prometheus);
    put(store, ACME, 42);
    store.get(ACME).close();

    String scrape = prometheus.scrape();

    assertThat(scrape).as("call durations as cumulative buckets, the last one counting every call")
        .contains("grey_cloud_api_duration_seconds_bucket{cloud=\"aws\",operation=\"put\",tenant=\"acme\",le=\"+Inf\"} 1")
        .containsPattern("grey_cloud_api_duration_seconds_bucket\\{cloud=\"aws\",operation=\"put\",tenant=\"acme\","
            + "le=\"0\\.0[0-9]+\"} [01]");
    assertThat(scrape).as("the time to last byte stays a plain timer, without buckets")
        .doesNotContain("grey_cloud_api_transfer_seconds_bucket");
  }

  @Test
  void stackedInsideTheRetryLayerEveryCloudCallAndThrottleIsCounted() {
    put(memory, ACME, 1);
    flaky.failNext("head", new io.grey.core.ThrottledException("slow down"),
        new io.grey.core.ThrottledException("slow down"));
    BlobStore store = io.grey.core.store.Layer.stack(flaky,
        new MetricsLayer(registry, "aws"),
        new RetryLayer(RetryPolicy.defaults(), d -> { }, new java.util.SplittableRandom(1)));

    assertThat(store.head(ACME)).as("head succeeds after the throttles").isPresent();

    assertThat(timer(MetricsLayer.DURATION, "head", "acme").count()).as("cloud calls timed").isEqualTo(3);
    assertThat(counter(MetricsLayer.ERRORS, "cloud", "aws", "operation", "head", "error", "throttled"))
        .as("throttles counted").isEqualTo(2.0);
  }

  @Test
  void aBlankCloudNameIsRejected() {
    assertThatThrownBy(() -> new MetricsLayer(registry, " "))
        .isInstanceOf(io.grey.core.InvalidRequestException.class).hasMessageContaining("cloud");
  }

  /** Moves the registry's clock forward on every call, as if the store took that long. */
  private static final class ClockAdvancingStore extends ForwardingBlobStore {
    private final MockClock clock;
    private final Duration step;

    ClockAdvancingStore(BlobStore inner, MockClock clock, Duration step) {
      super(inner);
      this.clock = clock;
      this.step = step;
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      clock.add(step);
      return super.put(key, body, options);
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      clock.add(step);
      return super.get(key, range);
    }
  }
}
