package io.grey.cost;

import io.grey.core.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metering database, {@code <data_dir>/metering.db}: SQLite in WAL mode, so a CLI can read it while the
 * server writes. Hourly usage rows are upserted by adding deltas, inside one transaction per flush together with
 * the object sizes and the accrual cursor; a flush either lands whole or not at all, and the caller drops its
 * deltas only after the commit, so nothing is counted twice. Thread-safe (every method synchronizes on the one
 * connection).
 */
final class MeteringDb implements AutoCloseable {
  /** The file name under the data directory. */
  static final String FILE_NAME = "metering.db";

  private static final String ACCRUED_UNTIL = "accrued_until";

  private final Connection connection;
  private final Path file;

  private MeteringDb(Connection connection, Path file) {
    this.connection = connection;
    this.file = file;
  }

  /** Opens (creating if needed) the database at {@code file}. */
  static MeteringDb open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("""
            CREATE TABLE IF NOT EXISTS usage (
              hour INTEGER NOT NULL, tenant TEXT NOT NULL, task TEXT NOT NULL, store TEXT NOT NULL,
              data_class TEXT NOT NULL, byte_seconds INTEGER NOT NULL DEFAULT 0, writes INTEGER NOT NULL DEFAULT 0,
              reads INTEGER NOT NULL DEFAULT 0, lists INTEGER NOT NULL DEFAULT 0, deletes INTEGER NOT NULL DEFAULT 0,
              egress_bytes INTEGER NOT NULL DEFAULT 0, replicated_bytes INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (hour, tenant, task, store, data_class))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS objects (
              store TEXT NOT NULL, key TEXT NOT NULL, tenant TEXT NOT NULL, task TEXT NOT NULL,
              data_class TEXT NOT NULL, size INTEGER NOT NULL, since_ms INTEGER NOT NULL,
              PRIMARY KEY (store, key))""");
        s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        s.execute("""
            CREATE TABLE IF NOT EXISTS budget_alerts (
              budget TEXT NOT NULL, period TEXT NOT NULL, threshold INTEGER NOT NULL, at_ms INTEGER NOT NULL,
              spent TEXT NOT NULL, PRIMARY KEY (budget, period, threshold))""");
      }
      return new MeteringDb(c, file);
    } catch (SQLException | java.io.IOException e) {
      throw new StoreUnavailableException("cannot open the metering database " + file, e);
    }
  }

  Path file() {
    return file;
  }

  /** One tracked object: its size and the time it was last written. */
  record TrackedObject(String store, String key, String tenant, String task, String dataClass, long size,
                       long sinceMillis) {}

  /**
   * Writes one flush atomically: {@code usage} deltas are added to their rows, {@code objects} entries are set
   * (a size below 0 removes the object) and the accrual cursor moves to {@code accruedUntil} (epoch seconds).
   */
  synchronized void flush(Map<UsageBucket, Usage> usage, Map<String, Optional<TrackedObject>> objects,
                          long accruedUntil) {
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement up = connection.prepareStatement("""
              INSERT INTO usage (hour, tenant, task, store, data_class, byte_seconds, writes, reads, lists, deletes,
                egress_bytes, replicated_bytes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
              ON CONFLICT (hour, tenant, task, store, data_class) DO UPDATE SET
                byte_seconds = byte_seconds + excluded.byte_seconds, writes = writes + excluded.writes,
                reads = reads + excluded.reads, lists = lists + excluded.lists,
                deletes = deletes + excluded.deletes, egress_bytes = egress_bytes + excluded.egress_bytes,
                replicated_bytes = replicated_bytes + excluded.replicated_bytes""");
          PreparedStatement put = connection.prepareStatement(
              "INSERT OR REPLACE INTO objects (store, key, tenant, task, data_class, size, since_ms)"
                  + " VALUES (?,?,?,?,?,?,?)");
          PreparedStatement remove = connection.prepareStatement("DELETE FROM objects WHERE store = ? AND key = ?");
          PreparedStatement cursor = connection.prepareStatement(
              "INSERT OR REPLACE INTO meta (name, value) VALUES ('" + ACCRUED_UNTIL + "', ?)")) {
        for (var e : usage.entrySet()) {
          UsageBucket b = e.getKey();
          Usage u = e.getValue();
          up.setLong(1, b.hour());
          up.setString(2, b.tenant());
          up.setString(3, b.task());
          up.setString(4, b.store());
          up.setString(5, b.dataClass());
          up.setLong(6, u.byteSeconds);
          up.setLong(7, u.writes);
          up.setLong(8, u.reads);
          up.setLong(9, u.lists);
          up.setLong(10, u.deletes);
          up.setLong(11, u.egressBytes);
          up.setLong(12, u.replicatedBytes);
          up.addBatch();
        }
        up.executeBatch();
        for (var e : objects.entrySet()) {
          if (e.getValue().isPresent()) {
            TrackedObject o = e.getValue().get();
            put.setString(1, o.store());
            put.setString(2, o.key());
            put.setString(3, o.tenant());
            put.setString(4, o.task());
            put.setString(5, o.dataClass());
            put.setLong(6, o.size());
            put.setLong(7, o.sinceMillis());
            put.addBatch();
          } else {
            String[] storeAndKey = e.getKey().split("\u0000", 2);
            remove.setString(1, storeAndKey[0]);
            remove.setString(2, storeAndKey[1]);
            remove.addBatch();
          }
        }
        put.executeBatch();
        remove.executeBatch();
        cursor.setLong(1, accruedUntil);
        cursor.executeUpdate();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot write the metering database " + file, e);
    }
  }

  /** The accrual cursor (epoch seconds) of the last flush, if any flush happened. */
  synchronized Optional<Long> accruedUntil() {
    try (PreparedStatement q = connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      q.setString(1, ACCRUED_UNTIL);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot read the metering database " + file, e);
    }
  }

  /** Every tracked object. */
  synchronized List<TrackedObject> objects() {
    List<TrackedObject> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT store, key, tenant, task, data_class, size, since_ms FROM objects")) {
      while (r.next()) {
        out.add(new TrackedObject(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
            r.getLong(6), r.getLong(7)));
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot read the metering database " + file, e);
    }
    return out;
  }

  /**
   * The hourly rows with {@code fromHour <= hour < toHour}, of {@code tenant} (every tenant when empty), in
   * hour order.
   */
  synchronized List<UsageRow> usage(long fromHour, long toHour, String tenant) {
    List<UsageRow> out = new ArrayList<>();
    String sql = "SELECT hour, tenant, task, store, data_class, byte_seconds, writes, reads, lists, deletes,"
        + " egress_bytes, replicated_bytes FROM usage WHERE hour >= ? AND hour < ?"
        + (tenant.isEmpty() ? "" : " AND tenant = ?") + " ORDER BY hour";
    try (PreparedStatement q = connection.prepareStatement(sql)) {
      q.setLong(1, fromHour);
      q.setLong(2, toHour);
      if (!tenant.isEmpty()) {
        q.setString(3, tenant);
      }
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(new UsageRow(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
              r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11),
              r.getLong(12)));
        }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot read the metering database " + file, e);
    }
    return out;
  }

  /**
   * Records that {@code budget} crossed {@code threshold} percent in {@code period}; true only for the first
   * record of that triple, so each crossing is announced once even across restarts.
   */
  synchronized boolean recordAlert(String budget, String period, int threshold, long atMillis, String spent) {
    try (PreparedStatement q = connection.prepareStatement(
        "INSERT OR IGNORE INTO budget_alerts (budget, period, threshold, at_ms, spent) VALUES (?,?,?,?,?)")) {
      q.setString(1, budget);
      q.setString(2, period);
      q.setInt(3, threshold);
      q.setLong(4, atMillis);
      q.setString(5, spent);
      return q.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot write the metering database " + file, e);
    }
  }

  /** The thresholds of {@code budget} already announced in {@code period}, ascending. */
  synchronized List<Integer> alerts(String budget, String period) {
    List<Integer> out = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement(
        "SELECT threshold FROM budget_alerts WHERE budget = ? AND period = ? ORDER BY threshold")) {
      q.setString(1, budget);
      q.setString(2, period);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(r.getInt(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot read the metering database " + file, e);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot close the metering database " + file, e);
    }
  }
}
