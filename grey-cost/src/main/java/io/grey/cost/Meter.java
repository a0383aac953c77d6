package io.grey.cost;

import io.grey.core.DataClass;
import io.grey.core.ObjectKey;
import io.grey.cost.MeteringDb.TrackedObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The write side of metering: counts requests and bytes in memory per hour bucket, tracks each object's size to
 * integrate bytes stored over time, and hands everything to the database on {@link #flush}. Storage accrues in
 * whole seconds from one cursor: between two events every tracked byte is charged for the seconds in between,
 * split at hour boundaries. A crash loses what was counted since the last flush (requests, egress and size
 * changes); storage itself is re-accrued from the last flushed cursor with the last flushed object sizes.
 * Memory: one entry per tracked object (its key and size) and per tenant/task/store/class with bytes stored; the
 * per-second accrual walks the latter. Thread-safe (one lock; the work per call is a few map updates).
 */
final class Meter implements AutoCloseable {
  private static final String SEPARATOR = "\u0000";

  private final MeteringDb db;
  private final Clock clock;
  private final Map<UsageBucket, Usage> pending = new HashMap<>();
  private final Map<String, TrackedObject> objects = new HashMap<>();
  private final Map<String, Optional<TrackedObject>> dirty = new LinkedHashMap<>();
  /** Bytes currently stored per subject (hour field unused, kept at 0). */
  private final Map<UsageBucket, Long> live = new HashMap<>();
  private long cursor;

  Meter(MeteringDb db, Clock clock) {
    this.db = db;
    this.clock = clock;
    for (TrackedObject o : db.objects()) {
      objects.put(id(o.store(), o.key()), o);
      addLive(subject(o.store(), o.tenant(), o.task(), o.dataClass()), o.size());
    }
    this.cursor = db.accruedUntil().orElse(nowSeconds());
  }

  /** A put of {@code size} bytes to {@code key} completed; a replica write counts as replicated bytes. */
  synchronized void put(String store, ObjectKey key, long size, boolean replicated) {
    accrue();
    Subject s = Subject.of(key);
    Usage u = usage(store, s);
    u.writes++;
    if (replicated) {
      u.replicatedBytes += size;
    }
    String id = id(store, key.value());
    TrackedObject before = objects.get(id);
    if (before != null) {
      addLive(subject(store, before.tenant(), before.task(), before.dataClass()), -before.size());
    }
    TrackedObject now = new TrackedObject(store, key.value(), s.tenant, s.task, s.dataClass, size,
        clock.millis());
    objects.put(id, now);
    dirty.put(id, Optional.of(now));
    addLive(subject(store, s.tenant, s.task, s.dataClass), size);
  }

  /** A write request that stores no body (set tags), or a put that failed. */
  synchronized void write(String store, ObjectKey key) {
    usage(store, Subject.of(key)).writes++;
  }

  /** A read request (get, head, get tags). */
  synchronized void read(String store, ObjectKey key) {
    usage(store, Subject.of(key)).reads++;
  }

  /** A list request under {@code prefix}. */
  synchronized void list(String store, String prefix) {
    usage(store, Subject.ofPrefix(prefix)).lists++;
  }

  /** {@code bytes} of a get body were consumed by the reader. */
  synchronized void egress(String store, ObjectKey key, long bytes) {
    usage(store, Subject.of(key)).egressBytes += bytes;
  }

  /** A delete request; the object, if tracked, stops accruing storage now. */
  synchronized void delete(String store, ObjectKey key) {
    accrue();
    usage(store, Subject.of(key)).deletes++;
    String id = id(store, key.value());
    TrackedObject before = objects.remove(id);
    if (before != null) {
      addLive(subject(store, before.tenant(), before.task(), before.dataClass()), -before.size());
      dirty.put(id, Optional.empty());
    }
  }

  /** Writes everything counted so far to the database in one transaction; on failure nothing is dropped. */
  synchronized void flush() {
    accrue();
    if (pending.isEmpty() && dirty.isEmpty() && db.accruedUntil().orElse(-1L) == cursor) {
      return;
    }
    db.flush(pending, dirty, cursor);
    pending.clear();
    dirty.clear();
  }

  /** The tracked objects (a copy). */
  synchronized Map<String, TrackedObject> objects() {
    return Map.copyOf(objects);
  }

  @Override
  public void close() {
    flush();
  }

  private long nowSeconds() {
    return Math.floorDiv(clock.millis(), 1000L);
  }

  /** Charges every stored byte for the whole seconds since the cursor, split into hour buckets. */
  private void accrue() {
    long now = nowSeconds();
    if (now <= cursor) {
      return;
    }
    for (var e : live.entrySet()) {
      long bytes = e.getValue();
      if (bytes <= 0) {
        continue;
      }
      long t = cursor;
      while (t < now) {
        long hour = Math.floorDiv(t, 3600L);
        long end = Math.min(now, (hour + 1) * 3600L);
        pending.computeIfAbsent(e.getKey().at(hour), b -> new Usage()).byteSeconds += bytes * (end - t);
        t = end;
      }
    }
    cursor = now;
  }

  /** Adds {@code delta} to a subject's stored bytes; a subject with nothing stored leaves the map. */
  private void addLive(UsageBucket subject, long delta) {
    live.merge(subject, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  private Usage usage(String store, Subject s) {
    long hour = Math.floorDiv(clock.millis(), 3_600_000L);
    return pending.computeIfAbsent(new UsageBucket(hour, s.tenant, s.task, store, s.dataClass), b -> new Usage());
  }

  private static UsageBucket subject(String store, String tenant, String task, String dataClass) {
    return new UsageBucket(0, tenant, task, store, dataClass);
  }

  private static String id(String store, String key) {
    return store + SEPARATOR + key;
  }

  /** The tenant, task and data class a key or list prefix belongs to. */
  private record Subject(String tenant, String task, String dataClass) {
    static Subject of(ObjectKey key) {
      return ofPrefix(key.value());
    }

    /** {@code artifacts/{tenant}/{task}/...}, {@code proofs/{tenant}/{task}/...}, {@code state/{tenant}/...}. */
    static Subject ofPrefix(String value) {
      String[] parts = value.split("/", 4);
      Optional<DataClass> dataClass = DataClass.ofPrefix(parts[0]);
      if (dataClass.isEmpty() || parts.length < 3) {
        return new Subject(UsageBucket.NONE, UsageBucket.NO_TASK, dataClass.map(DataClass::prefix)
            .orElse(UsageBucket.NONE));
      }
      String tenant = parts[1];
      String task = dataClass.get() != DataClass.STATE && parts.length == 4 ? parts[2] : UsageBucket.NO_TASK;
      return new Subject(tenant, task, dataClass.get().prefix());
    }
  }
}
