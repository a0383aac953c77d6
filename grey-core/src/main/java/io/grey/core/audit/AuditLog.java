package io.grey.core.audit;

import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.Digests;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only audit trail in a file of JSON lines, one {@link AuditRecord} per line, chained by hashes: each
 * line carries {@code prev}, the SHA-256 of the previous line's exact bytes, and {@code hash}, the SHA-256 of its
 * own canonical content ({@code prev} included). Editing, removing, inserting or reordering lines breaks the
 * chain, which {@link #verify(Path)} finds.
 *
 * <p>A line at the end can be removed without breaking the chain, so each append also writes an anchor to the
 * side file {@code <file>.head}: the sequence number and SHA-256 of the last line. That anchor sits on the same
 * disk and carries no secret, so it catches a careless truncation, not someone who rewrites both files; for that,
 * publish {@link #anchor()} somewhere the writer of the log cannot change.
 *
 * <p>Durability: with {@code sync} (the default) {@link #append} returns after the line and the anchor are
 * forced to disk. Each line goes to the file in one write at the end of the file. Appends are serialized, so the
 * log is safe to share between threads; an exclusive file lock keeps other processes (and other AuditLog
 * instances) from appending to the same file.
 *
 * <p>Reopening: {@link #open} resumes the chain from the last line without reading the whole file. A last line
 * without its newline is an append that never finished (and was never acknowledged); it is cut off. If the
 * anchor is one append behind the log, the process stopped between the two writes and the anchor is brought up
 * to date. Any other disagreement between log and anchor is not repaired: the log opens anyway and its first
 * new line is an {@value #ANCHOR_MISMATCH} entry stating both, which {@link #verify(Path)} reports as a failure
 * from then on. A chain broken further up is not looked for on open; {@link #verify(Path)} finds it.
 */
public final class AuditLog implements AutoCloseable {
  /** The {@code prev} of the first line: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);
  /** The longest line the log writes or a verifier accepts. */
  public static final int MAX_LINE_BYTES = 64 * 1024;
  /** The action of the entry written when a reopened log and its anchor disagree. */
  public static final String ANCHOR_MISMATCH = "audit_anchor_mismatch";
  /** The actor of entries the log writes about itself. */
  public static final String SYSTEM_ACTOR = "grey";

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int ANCHOR_BYTES = 20 + 1 + 64 + 1;
  private static final int CHUNK = 8192;

  private final Path file;
  private final Clock clock;
  private final boolean sync;
  private final FileChannel log;
  private final FileLock fileLock;
  private final FileChannel head;
  private final ReentrantLock appendLock = new ReentrantLock();
  private long end;
  private long nextSeq;
  private String prev;
  private boolean closed;
  private String unusable = "";

  private AuditLog(Path file, Clock clock, boolean sync, FileChannel log, FileLock fileLock, FileChannel head,
      long end, long nextSeq, String prev) {
    this.file = file;
    this.clock = clock;
    this.sync = sync;
    this.log = log;
    this.fileLock = fileLock;
    this.head = head;
    this.end = end;
    this.nextSeq = nextSeq;
    this.prev = prev;
  }

  /**
   * Opens (creating if absent) the audit log {@code file}, forcing every append to disk, with times from
   * {@code clock}.
   *
   * @throws InvalidRequestException if another AuditLog, in this or another process, has the file open
   * @throws StoreUnavailableException if the file cannot be read or written
   */
  public static AuditLog open(Path file, Clock clock) {
    return open(file, clock, true);
  }

  /**
   * Opens (creating if absent) the audit log {@code file}; with {@code sync} false, appends are left to the
   * operating system to write back, trading the last appends on a power loss for speed.
   *
   * @throws InvalidRequestException if another AuditLog, in this or another process, has the file open
   * @throws StoreUnavailableException if the file cannot be read or written
   */
  public static AuditLog open(Path file, Clock clock, boolean sync) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(clock, "clock");
    Path path = file.toAbsolutePath();
    FileChannel log = null;
    FileChannel head = null;
    try {
      Path dir = path.getParent();
      Files.createDirectories(dir);
      boolean created = !Files.exists(path);
      log = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock fileLock = lock(log, path);
      head = FileChannel.open(headFile(path),
          StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created) {
        forceDirectory(dir);
      }
      long end = cutUnfinishedLine(log, path);
      Tail tail = Tail.read(log, end);
      AuditLog audit = new AuditLog(path, clock, sync, log, fileLock, head, end, tail.seq() + 1, tail.lineSha());
      audit.reconcileAnchor(tail);
      return audit;
    } catch (IOException e) {
      closeQuietly(head);
      closeQuietly(log);
      throw new StoreUnavailableException("audit log " + path + ": cannot open: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(head);
      closeQuietly(log);
      throw e;
    }
  }

  /** The side file holding the anchor of {@code file}: {@code <file>.head}. */
  public static Path headFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".head");
  }

  /** The file this log appends to. */
  public Path file() {
    return file;
  }

  /**
   * Appends {@code entry} as the next line, stamped with the clock's time and chained to the previous line.
   * Thread-safe; with sync on, the line and the anchor are on disk when this returns.
   *
   * @return the record as written
   * @throws InvalidRequestException if the log is closed or the line would exceed {@link #MAX_LINE_BYTES}
   * @throws StoreUnavailableException if the write fails; the log is left as it was before the call when
   *     possible, and refuses further appends when not
   */
  public AuditRecord append(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    appendLock.lock();
    try {
      if (closed) {
        throw new InvalidRequestException("audit log " + file + " is closed");
      }
      if (!unusable.isEmpty()) {
        throw new StoreUnavailableException("audit log " + file + " refuses appends: " + unusable);
      }
      Instant time = clock.instant();
      byte[] content = AuditLines.content(nextSeq, time, entry, prev);
      AuditRecord record = new AuditRecord(nextSeq, time, entry, prev, Digests.sha256Hex(content));
      byte[] line = AuditLines.withHash(content, record.hash());
      if (line.length > MAX_LINE_BYTES) {
        throw new InvalidRequestException(
            "audit entry renders to " + line.length + " bytes; at most " + MAX_LINE_BYTES + " allowed");
      }
      writeLine(line);
      prev = Digests.sha256Hex(line);
      nextSeq++;
      try {
        writeAnchor(record.seq(), prev);
      } catch (IOException e) {
        // The line is in the log; reopening brings an anchor that is one append behind up to date.
        throw new StoreUnavailableException(
            "audit log " + file + ": line " + record.seq() + " written but its anchor was not: " + e.getMessage(), e);
      }
      return record;
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * The SHA-256 hex of the last line ({@link #GENESIS} for an empty log): the value to publish elsewhere so that
   * the log's history up to now can be proven later.
   */
  public String anchor() {
    appendLock.lock();
    try {
      return prev;
    } finally {
      appendLock.unlock();
    }
  }

  /** The sequence number of the last line, 0 for an empty log. */
  public long lastSeq() {
    appendLock.lock();
    try {
      return nextSeq - 1;
    } finally {
      appendLock.unlock();
    }
  }

  /** Releases the file lock and closes the files; idempotent. Appends after this are refused. */
  @Override
  public void close() {
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(head);
      try {
        fileLock.release();
      } catch (IOException e) {
        LOG.debug("releasing the lock of {} failed", file, e);
      }
      closeQuietly(log);
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Checks every line of the audit log {@code file}: that it parses, is in canonical form, carries the hash of its
   * content, has the next sequence number and the SHA-256 of the line before as {@code prev}; then that the last
   * line matches the anchor in {@code <file>.head}. Reads the file once, in constant memory; does not need (or
   * take) the file lock.
   *
   * @return ok, or the first bad line and why
   */
  public static AuditVerification verify(Path file) {
    Objects.requireNonNull(file, "file");
    long checked = 0;
    byte[] last = null;
    AuditRecord lastRecord = null;
    String expectedPrev = GENESIS;
    try (InputStream in = Files.newInputStream(file)) {
      LineSplitter lines = new LineSplitter(in);
      for (long lineNo = 1; ; lineNo++) {
        Optional<RawLine> next = lines.next();
        if (next.isEmpty()) {
          break;
        }
        RawLine raw = next.get();
        if (raw.tooLong()) {
          return AuditVerification.broken(checked, lineNo, "line is longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (!raw.complete()) {
          return AuditVerification.broken(checked, lineNo,
              "line has no newline: an append did not finish (reopening the log cuts it off)");
        }
        AuditRecord record;
        try {
          record = AuditLines.parse(raw.bytes());
        } catch (IllegalArgumentException e) {
          return AuditVerification.broken(checked, lineNo, "not an audit entry: " + e.getMessage());
        }
        byte[] content = AuditLines.content(record.seq(), record.time(), record.entry(), record.prev());
        if (!record.hash().equals(Digests.sha256Hex(content))) {
          return AuditVerification.broken(checked, lineNo, "hash does not match the content: the line was edited");
        }
        if (!Arrays.equals(raw.bytes(), AuditLines.withHash(content, record.hash()))) {
          return AuditVerification.broken(checked, lineNo, "line is not in canonical form: the line was edited");
        }
        if (record.seq() != checked + 1) {
          return AuditVerification.broken(checked, lineNo, "seq is " + record.seq() + " where " + (checked + 1)
              + " was expected: lines were removed, inserted or moved");
        }
        if (!record.prev().equals(expectedPrev)) {
          return AuditVerification.broken(checked, lineNo, lineNo == 1
              ? "prev of the first line is not " + GENESIS + ": lines before it were removed"
              : "prev is not the SHA-256 of line " + (lineNo - 1)
                  + ": that line was edited, or lines were removed, inserted or moved");
        }
        if (record.entry().action().equals(ANCHOR_MISMATCH) && record.entry().actor().equals(SYSTEM_ACTOR)) {
          return AuditVerification.broken(checked, lineNo,
              "when the log was reopened its end did not match its anchor: " + describe(record.entry().details()));
        }
        expectedPrev = Digests.sha256Hex(raw.bytes());
        last = raw.bytes();
        lastRecord = record;
        checked++;
      }
    } catch (NoSuchFileException e) {
      return AuditVerification.broken(0, 1, "audit log " + file + " does not exist");
    } catch (IOException e) {
      return AuditVerification.broken(checked, checked + 1, "cannot read " + file + ": " + e.getMessage());
    }
    return verifyAnchor(file, checked, lastRecord, last == null ? GENESIS : Digests.sha256Hex(last));
  }

  /**
   * The records of the audit log {@code file}, parsed lazily in order; close the stream. This reads, it does not
   * verify: use {@link #verify(Path)} to know that the lines are intact.
   *
   * @throws StoreUnavailableException if the file cannot be opened
   * @throws IntegrityException from the stream, naming the line, if a line is not an audit entry
   */
  public static Stream<AuditRecord> read(Path file) {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreUnavailableException("audit log " + file + ": cannot open: " + e.getMessage(), e);
    }
    long[] lineNo = {0};
    return reader.lines().map(line -> {
      lineNo[0]++;
      try {
        return AuditLines.parse(line.getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IntegrityException("audit log " + file + " line " + lineNo[0] + ": " + e.getMessage());
      }
    }).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static AuditVerification verifyAnchor(Path file, long checked, AuditRecord lastRecord, String lastSha) {
    Optional<Anchor> anchor;
    try {
      anchor = Anchor.read(headFile(file));
    } catch (IOException e) {
      return AuditVerification.broken(checked, checked, "cannot read the anchor " + headFile(file) + ": "
          + e.getMessage());
    } catch (IllegalArgumentException e) {
      return AuditVerification.broken(checked, checked, "the anchor " + headFile(file) + " is damaged: "
          + e.getMessage());
    }
    long lastSeq = lastRecord == null ? 0 : lastRecord.seq();
    if (anchor.isEmpty()) {
      return checked == 0
          ? AuditVerification.intact(0)
          : AuditVerification.broken(checked, checked,
              "the anchor " + headFile(file) + " is missing: the end of the log cannot be proven");
    }
    Anchor a = anchor.get();
    if (a.seq() > lastSeq) {
      return AuditVerification.broken(checked, checked + 1, "the log ends at seq " + lastSeq
          + " but its anchor records seq " + a.seq() + ": lines were removed from the end");
    }
    if (a.seq() < lastSeq) {
      return AuditVerification.broken(checked, a.seq() + 1, "lines after seq " + a.seq()
          + " are not covered by the anchor: they were appended by something other than this log");
    }
    if (!a.lineSha().equals(lastSha)) {
      return AuditVerification.broken(checked, checked,
          "the last line does not match the SHA-256 its anchor records: it was replaced");
    }
    return AuditVerification.intact(checked);
  }

  private void reconcileAnchor(Tail tail) throws IOException {
    Optional<Anchor> anchor;
    String anchorText;
    try {
      anchor = Anchor.read(head);
      anchorText = anchor.map(a -> "seq " + a.seq() + ", line " + a.lineSha()).orElse("none");
    } catch (IllegalArgumentException e) {
      anchor = Optional.empty();
      anchorText = "damaged (" + e.getMessage() + ")";
    }
    boolean matches = anchor.isPresent()
        ? anchor.get().seq() == tail.seq() && anchor.get().lineSha().equals(tail.lineSha())
        : tail.seq() == 0 && anchorText.equals("none");
    if (matches) {
      return;
    }
    // The process stopped after writing a line and before writing its anchor.
    boolean oneBehind = tail.record().isPresent() && !anchorText.startsWith("damaged") && (anchor.isPresent()
        ? anchor.get().seq() == tail.seq() - 1 && anchor.get().lineSha().equals(tail.record().get().prev())
        : tail.seq() == 1);
    if (oneBehind) {
      LOG.info("audit log {}: anchor was one append behind (interrupted append); brought up to date", file);
      writeAnchor(tail.seq(), tail.lineSha());
      return;
    }
    LOG.warn("audit log {} ends at seq {} but its anchor is {}; recording the mismatch", file, tail.seq(), anchorText);
    append(AuditEntry.failed(SYSTEM_ACTOR, ANCHOR_MISMATCH, "audit", file.getFileName().toString(),
        "anchor_mismatch", Map.of(
            "anchor", anchorText,
            "log_seq", Long.toString(tail.seq()),
            "log_line_sha256", tail.lineSha())));
  }

  private static String describe(Map<String, String> details) {
    return "the log ended at seq " + details.getOrDefault("log_seq", "?") + " (line "
        + details.getOrDefault("log_line_sha256", "?") + ") while the anchor recorded "
        + details.getOrDefault("anchor", "?");
  }

  private void writeLine(byte[] line) {
    ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    long start = end;
    try {
      long position = start;
      while (buffer.hasRemaining()) {
        position += log.write(buffer, position);
      }
      if (sync) {
        log.force(false);
      }
      end = position;
    } catch (IOException e) {
      try {
        log.truncate(start);
      } catch (IOException undo) {
        unusable = "a failed append could not be undone (" + undo.getMessage() + ")";
        e.addSuppressed(undo);
      }
      throw new StoreUnavailableException("audit log " + file + ": append failed: " + e.getMessage(), e);
    }
  }

  private void writeAnchor(long seq, String lineSha) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Anchor.render(seq, lineSha));
    long position = 0;
    while (buffer.hasRemaining()) {
      position += head.write(buffer, position);
    }
    if (sync) {
      head.force(false);
    }
  }

  private static FileLock lock(FileChannel log, Path path) throws IOException {
    FileLock fileLock;
    try {
      fileLock = log.tryLock();
    } catch (OverlappingFileLockException e) {
      fileLock = null;
    }
    if (fileLock == null) {
      throw new InvalidRequestException("audit log " + path + " is already open by another AuditLog");
    }
    return fileLock;
  }

  /** Cuts off a last line that has no newline (an unfinished append); returns the new end of the file. */
  private static long cutUnfinishedLine(FileChannel log, Path path) throws IOException {
    long size = log.size();
    if (size == 0) {
      return 0;
    }
    long lastNewline = lastNewlineBefore(log, size);
    long end = lastNewline + 1;
    if (end < size) {
      LOG.warn("audit log {}: cutting off {} bytes of an append that did not finish", path, size - end);
      log.truncate(end);
      log.force(true);
    }
    return end;
  }

  /** The position of the last '\n' before {@code limit}, or -1. */
  private static long lastNewlineBefore(FileChannel log, long limit) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long chunkEnd = limit;
    while (chunkEnd > 0) {
      long chunkStart = Math.max(0, chunkEnd - CHUNK);
      buffer.clear().limit((int) (chunkEnd - chunkStart));
      readFully(log, buffer, chunkStart);
      for (int i = buffer.limit() - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return chunkStart + i;
        }
      }
      chunkEnd = chunkStart;
    }
    return -1;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("file shrank while being read");
      }
      at += n;
    }
    buffer.flip();
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open or sync a directory; the file's own fsyncs still hold.
      LOG.debug("cannot sync directory {}", dir, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing an audit file failed", e);
    }
  }

  /** The last complete line of a log: its sequence number, SHA-256 and, when it parses, the record. */
  private record Tail(long seq, String lineSha, Optional<AuditRecord> record) {
    static Tail read(FileChannel log, long end) throws IOException {
      if (end == 0) {
        return new Tail(0, GENESIS, Optional.empty());
      }
      long newline = end - 1;
      long start = lastNewlineBefore(log, newline) + 1;
      long length = newline - start;
      MessageDigest sha = Digests.sha256();
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      for (long at = start; at < newline; ) {
        buffer.clear().limit((int) Math.min(CHUNK, newline - at));
        readFully(log, buffer, at);
        at += buffer.limit();
        sha.update(buffer.array(), 0, buffer.limit());
        if (length <= MAX_LINE_BYTES) {
          kept.write(buffer.array(), 0, buffer.limit());
        }
      }
      String lineSha = Digests.hex(sha);
      try {
        if (length > MAX_LINE_BYTES) {
          throw new IllegalArgumentException("line too long");
        }
        AuditRecord record = AuditLines.parse(kept.toByteArray());
        return new Tail(record.seq(), lineSha, Optional.of(record));
      } catch (IllegalArgumentException e) {
        // A damaged last line still has a place: continue numbering after the number of lines.
        return new Tail(countLines(log, end), lineSha, Optional.empty());
      }
    }

    private static long countLines(FileChannel log, long end) throws IOException {
      long lines = 0;
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      for (long at = 0; at < end; ) {
        buffer.clear().limit((int) Math.min(CHUNK, end - at));
        readFully(log, buffer, at);
        at += buffer.limit();
        for (int i = 0; i < buffer.limit(); i++) {
          if (buffer.get(i) == '\n') {
            lines++;
          }
        }
      }
      return lines;
    }
  }

  /** The content of {@code <file>.head}: the last line's sequence number and SHA-256, fixed length. */
  private record Anchor(long seq, String lineSha) {
    static byte[] render(long seq, String lineSha) {
      return "%020d %s\n".formatted(seq, lineSha).getBytes(StandardCharsets.US_ASCII);
    }

    static Optional<Anchor> read(Path headFile) throws IOException {
      if (!Files.exists(headFile)) {
        return Optional.empty();
      }
      return parse(Files.readAllBytes(headFile));
    }

    static Optional<Anchor> read(FileChannel head) throws IOException {
      long size = head.size();
      if (size > ANCHOR_BYTES) {
        throw new IllegalArgumentException("it is " + size + " bytes long, not " + ANCHOR_BYTES);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      readFully(head, buffer, 0);
      return parse(buffer.array());
    }

    /**
     * @throws IllegalArgumentException if the bytes are not an anchor
     */
    static Optional<Anchor> parse(byte[] bytes) {
      if (bytes.length == 0) {
        return Optional.empty();
      }
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (bytes.length != ANCHOR_BYTES || !text.matches("[0-9]{20} [0-9a-f]{64}\n")) {
        throw new IllegalArgumentException("it is not '<20-digit seq> <64 hex digits>'");
      }
      return Optional.of(new Anchor(Long.parseLong(text.substring(0, 20)), text.substring(21, 85)));
    }
  }

  /** One line of a file as exact bytes, read with a length cap. */
  private record RawLine(byte[] bytes, boolean complete, boolean tooLong) {}

  /** Splits a stream into lines of exact bytes, scanning a buffer rather than reading byte by byte. */
  private static final class LineSplitter {
    private final InputStream in;
    private final byte[] buffer = new byte[CHUNK];
    private int position;
    private int limit;

    LineSplitter(InputStream in) {
      this.in = in;
    }

    /** The next line, or empty at end of file. */
    Optional<RawLine> next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return line.size() == 0 ? Optional.empty() : Optional.of(new RawLine(line.toByteArray(), false, false));
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        line.write(buffer, start, position - start);
        if (line.size() > MAX_LINE_BYTES) {
          return Optional.of(new RawLine(line.toByteArray(), false, true));
        }
        if (position < limit) {
          position++;
          return Optional.of(new RawLine(line.toByteArray(), true, false));
        }
      }
    }
  }
}
