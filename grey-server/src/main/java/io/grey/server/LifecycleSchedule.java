package io.grey.server;

import io.grey.core.context.CallContext;
import io.grey.core.lifecycle.LifecycleSweeper;
import io.grey.core.lifecycle.SweepReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a lifecycle sweep every interval on one daemon thread, as actor {@value #ACTOR}. A failed sweep is logged
 * and the next one runs on schedule; sweeps never overlap.
 */
final class LifecycleSchedule implements AutoCloseable {
  static final String ACTOR = "lifecycle";
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleSchedule.class);

  private final ScheduledExecutorService executor;

  LifecycleSchedule(LifecycleSweeper sweeper, Duration interval) {
    executor = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("grey-lifecycle").factory());
    long millis = Math.max(1, interval.toMillis());
    executor.scheduleWithFixedDelay(() -> sweep(sweeper), millis, millis, TimeUnit.MILLISECONDS);
  }

  private static void sweep(LifecycleSweeper sweeper) {
    try {
      SweepReport report = CallContext.callAs(ACTOR, sweeper::sweep);
      LOG.info("lifecycle sweep: scanned {}, deleted {}, freed {} bytes",
          report.scanned(), report.deleted(), report.bytesFreed());
    } catch (RuntimeException e) {
      LOG.warn("lifecycle sweep failed; the next one runs on schedule", e);
    }
  }

  /** Stops future sweeps and interrupts a running one. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
