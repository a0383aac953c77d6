package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The durable record of replication work: one row per (target store, key) that the target has not caught up
 * with, naming the store that holds the current state of the key. Rows are written before the write they stand
 * for is applied (write-ahead), so a crash at any point leaves either no change or a row that brings every
 * replica to the source's current state. Embedded SQLite in WAL mode at {@code <data_dir>/outbox.db}.
 *
 * <p>Durability: with {@link MultiCloudConfig.OutboxSync#FULL} every commit fsyncs the WAL, so a committed row
 * survives SIGKILL and power loss. With {@code NORMAL} a commit reaches the WAL file through the OS (it survives
 * SIGKILL of the process, which cannot lose data the kernel already holds) but is fsynced only at checkpoints, so
 * power loss may drop the most recent commits; the database itself stays consistent either way.
 *
 * <p>A row is recorded held (not due) until the write it stands for has been applied and {@link #release}
 * makes it due, so the replicator never copies the state from before the write and calls that current. A hold
 * that nobody releases (the writer crashed, or its write timed out and may still land) expires by itself; opening
 * the outbox releases every hold, since no write of a previous process can still be running.
 *
 * <p>Rows for one (target, key) coalesce: a newer change bumps {@code seq}, and {@link #complete} removes a row
 * only if its seq is still the one the replicator copied, so a change made during a copy is never lost.
 * Thread-safe: one connection, guarded by this object's monitor.
 */
public final class Outbox implements AutoCloseable {
  /** The file name under the data directory. */
  public static final String FILE = "outbox.db";

  /** The state of one row. */
  public enum State { PENDING, DEAD }

  /**
   * One row.
   *
   * @param target the store that must catch up
   * @param key the key
   * @param source the store holding the key's current state
   * @param dataClass the key's data class, or empty for keys outside the three prefixes
   * @param seq the change counter of this (target, key)
   * @param state pending or dead
   * @param attempts failed attempts since the last change
   * @param enqueuedAt when the oldest change this row stands for was recorded
   * @param nextAttemptAt not to be tried before this instant
   * @param lastError the last failure, or ""
   */
  public record Entry(String target, ObjectKey key, String source, String dataClass, long seq, State state,
                      int attempts, Instant enqueuedAt, Instant nextAttemptAt, String lastError) {}

  /** A change recorded by {@link #recordChange}: the seq of each target's row, to pass to {@link #complete}. */
  public record Recorded(ObjectKey key, Map<String, Long> seqByTarget) {}

  private final Connection db;
  private final Clock clock;
  private final Path file;
  private final MultiCloudConfig.OutboxSync sync;

  private Outbox(Connection db, Clock clock, Path file, MultiCloudConfig.OutboxSync sync) {
    this.db = db;
    this.clock = clock;
    this.file = file;
    this.sync = sync;
  }

  /**
   * Opens (creating if needed) the outbox at {@code dataDir/outbox.db}.
   *
   * @throws StoreUnavailableException if the database cannot be opened
   */
  public static Outbox open(Path dataDir, MultiCloudConfig.OutboxSync sync, Clock clock) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = db.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=" + sync.name());
        st.execute("PRAGMA busy_timeout=10000");
        st.execute("""
            CREATE TABLE IF NOT EXISTS outbox(
              target TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL, data_class TEXT NOT NULL,
              seq INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
              enqueued_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT NOT NULL,
              PRIMARY KEY(target, key))""");
        st.execute("CREATE INDEX IF NOT EXISTS outbox_due ON outbox(target, state, next_attempt_at)");
        st.execute("CREATE INDEX IF NOT EXISTS outbox_age ON outbox(target, state, enqueued_at)");
        st.execute("CREATE TABLE IF NOT EXISTS cursors(name TEXT PRIMARY KEY, value TEXT NOT NULL)");
      }
      // Holds of writes of a previous process: that process is gone, so its writes either landed or never will.
      try (PreparedStatement st = db.prepareStatement(
          "UPDATE outbox SET next_attempt_at=? WHERE state='PENDING' AND next_attempt_at > ? AND attempts = 0")) {
        st.setLong(1, clock.millis());
        st.setLong(2, clock.millis());
        st.executeUpdate();
      }
      return new Outbox(db, clock, file, sync);
    } catch (SQLException | IOException e) {
      throw new StoreUnavailableException("cannot open the replication outbox " + file + ": " + e.getMessage(), e);
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Records, in one durable transaction, that {@code source} is about to hold the current state of {@code key}:
   * every store of {@code targets} must catch up with it, and any row asking {@code source} itself to catch up
   * with the key is dropped (its state is about to be the newest).
   */
  public synchronized Recorded recordChange(ObjectKey key, String source, Collection<String> targets,
                                            Optional<DataClass> dataClass, Instant holdUntil) {
    long now = clock.millis();
    Map<String, Long> seqs = new TreeMap<>();
    return transaction(() -> {
      try (PreparedStatement drop = db.prepareStatement("DELETE FROM outbox WHERE target=? AND key=?")) {
        drop.setString(1, source);
        drop.setString(2, key.value());
        drop.executeUpdate();
      }
      try (PreparedStatement up = db.prepareStatement("""
          INSERT INTO outbox(target, key, source, data_class, seq, state, attempts, enqueued_at, next_attempt_at,
                             last_error)
          VALUES(?, ?, ?, ?, 1, 'PENDING', 0, ?, ?, '')
          ON CONFLICT(target, key) DO UPDATE SET seq = seq + 1, source = excluded.source, attempts = 0,
            enqueued_at = CASE WHEN state = 'DEAD' THEN excluded.enqueued_at ELSE enqueued_at END,
            state = 'PENDING', next_attempt_at = excluded.next_attempt_at, last_error = ''
          RETURNING seq""")) {
        for (String target : targets) {
          up.setString(1, target);
          up.setString(2, key.value());
          up.setString(3, source);
          up.setString(4, dataClass.map(DataClass::configName).orElse(""));
          up.setLong(5, now);
          up.setLong(6, holdUntil.toEpochMilli());
          try (ResultSet rs = up.executeQuery()) {
            rs.next();
            seqs.put(target, rs.getLong(1));
          }
        }
      }
      return new Recorded(key, Map.copyOf(seqs));
    });
  }

  /**
   * Makes the rows of {@code recorded} due now, if they still stand for that change. Not fsynced: a release lost to
   * a power cut leaves the rows held, and opening the outbox releases every hold of a previous process.
   */
  public synchronized void release(Recorded recorded) {
    long now = clock.millis();
    unsyncedTransaction(() -> {
      try (PreparedStatement st = db.prepareStatement(
          "UPDATE outbox SET next_attempt_at=? WHERE target=? AND key=? AND seq=? AND state='PENDING'")) {
        for (var e : recorded.seqByTarget().entrySet()) {
          st.setLong(1, now);
          st.setString(2, e.getKey());
          st.setString(3, recorded.key().value());
          st.setLong(4, e.getValue());
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  /**
   * Removes the row of ({@code target}, {@code key}) if its seq is still {@code seq}; returns whether it did. Not
   * fsynced: a completion lost to a power cut brings the row back, and copying a key's current state again is
   * harmless, so a catch-up pays no disk flush per object.
   */
  public synchronized boolean complete(String target, ObjectKey key, long seq) {
    return unsyncedTransaction(() -> {
      try (PreparedStatement st = db.prepareStatement("DELETE FROM outbox WHERE target=? AND key=? AND seq=?")) {
        st.setString(1, target);
        st.setString(2, key.value());
        st.setLong(3, seq);
        return st.executeUpdate() == 1;
      }
    });
  }

  /**
   * Records a failed (or, when not {@code counted}, a postponed) attempt of the row at {@code seq}: it becomes due
   * again at {@code retryAt}, or dead when {@code dead}. A row changed since (another seq) is left alone.
   */
  public synchronized void fail(String target, ObjectKey key, long seq, String error, Instant retryAt, boolean dead,
                                boolean counted) {
    transaction(() -> {
      try (PreparedStatement st = db.prepareStatement("UPDATE outbox SET attempts = attempts + "
          + (counted ? 1 : 0) + ", last_error = ?, next_attempt_at = ?, state = ? WHERE target=? AND key=? AND seq=?")) {
        st.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
        st.setLong(2, retryAt.toEpochMilli());
        st.setString(3, dead ? "DEAD" : "PENDING");
        st.setString(4, target);
        st.setString(5, key.value());
        st.setLong(6, seq);
        return st.executeUpdate();
      }
    });
  }

  /** Up to {@code limit} pending rows of {@code target} due at {@code now}, oldest first. */
  public synchronized List<Entry> due(String target, Instant now, int limit) {
    return query("SELECT * FROM outbox WHERE target=? AND state='PENDING' AND next_attempt_at <= ? "
        + "ORDER BY next_attempt_at, enqueued_at LIMIT ?", st -> {
          st.setString(1, target);
          st.setLong(2, now.toEpochMilli());
          st.setInt(3, limit);
        });
  }

  /** The earliest instant a pending row of {@code target} becomes due, if it has any. */
  public synchronized Optional<Instant> nextDue(String target) {
    List<Entry> next = query("SELECT * FROM outbox WHERE target=? AND state='PENDING' ORDER BY next_attempt_at "
        + "LIMIT 1", st -> st.setString(1, target));
    return next.stream().findFirst().map(Entry::nextAttemptAt);
  }

  /** The row of ({@code target}, {@code key}), if any. */
  public synchronized Optional<Entry> entry(String target, ObjectKey key) {
    return query("SELECT * FROM outbox WHERE target=? AND key=?", st -> {
      st.setString(1, target);
      st.setString(2, key.value());
    }).stream().findFirst();
  }

  /** Whether {@code target} has any row (pending or dead) for {@code key}: it may not hold the current state. */
  public synchronized boolean behind(String target, ObjectKey key) {
    return entry(target, key).isPresent();
  }

  /** Every row, optionally only dead ones, ordered by target and key; for status output. */
  public synchronized List<Entry> all(Optional<State> state, int limit) {
    return query("SELECT * FROM outbox " + (state.isPresent() ? "WHERE state=? " : "")
        + "ORDER BY target, key LIMIT ?", st -> {
          int i = 1;
          if (state.isPresent()) {
            st.setString(i++, state.get().name());
          }
          st.setInt(i, limit);
        });
  }

  /** How many rows of {@code target} are in {@code state}. */
  public synchronized long count(String target, State state) {
    return scalar("SELECT COUNT(*) FROM outbox WHERE target=? AND state=?", st -> {
      st.setString(1, target);
      st.setString(2, state.name());
    }).orElse(0L);
  }

  /** When the oldest pending row of {@code target} (optionally of one data class) was recorded. */
  public synchronized Optional<Instant> oldestPending(String target, Optional<DataClass> dataClass) {
    return scalar("SELECT MIN(enqueued_at) FROM outbox WHERE target=? AND state='PENDING'"
        + (dataClass.isPresent() ? " AND data_class=?" : ""), st -> {
          st.setString(1, target);
          if (dataClass.isPresent()) {
            st.setString(2, dataClass.get().configName());
          }
        }).map(Instant::ofEpochMilli);
  }

  /**
   * Turns dead rows back into pending rows due now with no attempts counted, all of them or those of
   * {@code target}; returns how many.
   */
  public synchronized int retryDead(Optional<String> target) {
    long now = clock.millis();
    return transaction(() -> {
      try (PreparedStatement st = db.prepareStatement("UPDATE outbox SET state='PENDING', attempts=0, "
          + "next_attempt_at=? WHERE state='DEAD'" + (target.isPresent() ? " AND target=?" : ""))) {
        st.setLong(1, now);
        if (target.isPresent()) {
          st.setString(2, target.get());
        }
        return st.executeUpdate();
      }
    });
  }

  /** The saved value of cursor {@code name}, if any (verify and repair resume from it). */
  public synchronized Optional<String> cursor(String name) {
    List<String> out = new ArrayList<>();
    runQuery("SELECT value FROM cursors WHERE name=?", st -> st.setString(1, name), rs -> out.add(rs.getString(1)));
    return out.stream().findFirst();
  }

  /** Saves cursor {@code name} durably, or removes it when {@code value} is empty. */
  public synchronized void saveCursor(String name, Optional<String> value) {
    transaction(() -> {
      try (PreparedStatement st = db.prepareStatement(value.isPresent()
          ? "INSERT INTO cursors(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value=excluded.value"
          : "DELETE FROM cursors WHERE name=?")) {
        st.setString(1, name);
        if (value.isPresent()) {
          st.setString(2, value.get());
        }
        return st.executeUpdate();
      }
    });
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot close the replication outbox: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private interface Body<T> {
    T run() throws SQLException;
  }

  private interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * A transaction whose commit is not flushed to disk when the outbox runs with {@code outbox_sync: full}: WAL mode
   * with synchronous=NORMAL. A later full commit flushes the whole WAL, so commits stay in order on disk.
   */
  private <T> T unsyncedTransaction(Body<T> body) {
    if (sync == MultiCloudConfig.OutboxSync.NORMAL) {
      return transaction(body);
    }
    pragmaSynchronous(MultiCloudConfig.OutboxSync.NORMAL);
    try {
      return transaction(body);
    } finally {
      pragmaSynchronous(MultiCloudConfig.OutboxSync.FULL);
    }
  }

  private void pragmaSynchronous(MultiCloudConfig.OutboxSync level) {
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA synchronous=" + level.name());
    } catch (SQLException e) {
      throw new StoreUnavailableException("replication outbox " + file + " failed: " + e.getMessage(), e);
    }
  }

  private <T> T transaction(Body<T> body) {
    try {
      db.setAutoCommit(false);
      try {
        T result = body.run();
        db.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("replication outbox " + file + " failed: " + e.getMessage(), e);
    }
  }

  private List<Entry> query(String sql, Binder binder) {
    List<Entry> out = new ArrayList<>();
    runQuery(sql, binder, rs -> out.add(new Entry(rs.getString("target"), ObjectKey.of(rs.getString("key")),
        rs.getString("source"), rs.getString("data_class"), rs.getLong("seq"), State.valueOf(rs.getString("state")),
        rs.getInt("attempts"), Instant.ofEpochMilli(rs.getLong("enqueued_at")),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")), rs.getString("last_error"))));
    return out;
  }

  private Optional<Long> scalar(String sql, Binder binder) {
    List<Long> out = new ArrayList<>();
    runQuery(sql, binder, rs -> {
      long v = rs.getLong(1);
      if (!rs.wasNull()) {
        out.add(v);
      }
    });
    return out.stream().findFirst();
  }

  private void runQuery(String sql, Binder binder, RowReader reader) {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      binder.bind(st);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("replication outbox " + file + " failed: " + e.getMessage(), e);
    }
  }
}
