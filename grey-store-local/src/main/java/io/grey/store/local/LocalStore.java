package io.grey.store.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.ConfigException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.Digests;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.Tags;
import io.grey.core.store.VerifyingInputStream;
import io.grey.core.store.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default store: objects as files under a local root directory, each put atomic and durable.
 *
 * <p><b>Layout.</b> Every key segment is a directory named by the segment itself (its UTF-8 bytes, so a
 * 255-byte segment fits Linux's NAME_MAX). The directory of a key's last segment holds that key's files, all
 * named with a backslash, which no key contains, so they never collide with the directories of child keys:
 * <pre>
 *   {root}/\lock                      one byte per lock stripe, locked with FileChannel.lock
 *   {root}/a/b/\obj                   data file of key "a/b": body, JSON trailer, 12-byte footer
 *   {root}/a/b/\tags                  tags set after the put, valid only for the version it names
 *   {root}/a/b/\tmp-{random}          a write in progress; never listed, removed on open after an hour
 *   {root}/a/b/c/\obj                 data file of key "a/b/c", coexisting with "a/b"
 * </pre>
 * A directory without a data file is not an object; deletes prune the directories they empty.
 *
 * <p><b>Durability and atomicity.</b> A put streams the body and its trailer into a temp file in the key's
 * directory while computing size and SHA-256, fsyncs it, then under the key's lock checks the write condition,
 * renames the temp file over the data file and fsyncs the directory. When put returns the object is on disk;
 * after a crash at any moment a reader sees the previous object or the new one, never a partial one.
 *
 * <p><b>Versions</b> are generations: a store-wide counter that never goes below the clock's microseconds,
 * joined to a random number drawn when the store opens, so a version is unique per key across overwrites,
 * deletes and re-creates, and across processes sharing the root.
 *
 * <p><b>Concurrency.</b> Thread-safe. Write conditions are a true compare-and-swap between threads and between
 * processes on one root (see {@link KeyLocks}); the body is streamed before the lock is taken, so a slow upload
 * does not hold it. File names are the keys' UTF-8 bytes, so the JVM must use UTF-8 file names
 * ({@code sun.jnu.encoding}, for example {@code LANG=C.UTF-8}), and the file system must be POSIX
 * (backslashes in names, atomic rename over an existing file, directory fsync).
 *
 * <p>Durability caveat: a directory created for a new key is fsynced into its parent before the put
 * returns, but if a process dies between creating it and that fsync, a later put of the same key finds the
 * directory present and does not fsync the parent again; only a power loss after such a crash can then lose
 * that key.
 */
public final class LocalStore implements BlobStore {
  static final String DATA_FILE = "\\obj";
  static final String TAGS_FILE = "\\tags";
  static final String TEMP_PREFIX = "\\tmp-";
  static final String LOCK_FILE = "\\lock";
  static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
  private static final int MAX_BUFFER = 1 << 20;
  private static final int MIN_BUFFER = 8 << 10;
  private static final int UNKNOWN_LENGTH_BUFFER = 256 << 10;
  private static final int DIRECTORY_RETRIES = 16;

  private final Path root;
  private final String name;
  private final Clock clock;
  private final Optional<LocalPresigner> presigner;
  private final KeyLocks locks;
  private final long nonce;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final boolean fsync;

  private LocalStore(Path root, LocalStoreOptions options, KeyLocks locks, long nonce, boolean fsync) {
    this.root = root;
    this.fsync = fsync;
    this.name = options.name();
    this.clock = options.clock();
    this.presigner = options.presigner();
    this.locks = locks;
    this.nonce = nonce;
  }

  /**
   * Opens the store at {@code options.root()}, creating the root if missing and removing temp files of writes
   * that were interrupted more than an hour ago (by the options' clock).
   *
   * @throws ConfigException if the root cannot be used or the JVM does not use UTF-8 file names
   */
  public static LocalStore open(LocalStoreOptions options) {
    return open(options, true);
  }

  /**
   * Opens the store, with {@code fsync} false only for tests that create many objects and test something
   * other than durability: writes stay atomic but are not forced to disk.
   */
  static LocalStore open(LocalStoreOptions options, boolean fsync) {
    String jnu = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!jnu.equalsIgnoreCase("UTF-8") && !jnu.equalsIgnoreCase("UTF8")) {
      throw new ConfigException("local store '" + options.name() + "' needs UTF-8 file names, but this JVM uses "
          + jnu + " (run with a UTF-8 locale, for example LANG=C.UTF-8)");
    }
    Path root;
    KeyLocks locks;
    try {
      Files.createDirectories(options.root());
      root = options.root().toRealPath();
      locks = KeyLocks.acquire(root.resolve(LOCK_FILE));
    } catch (IOException e) {
      throw new ConfigException(
          "local store '" + options.name() + "' cannot use its root directory (" + reason(e) + ")", e);
    }
    LocalStore store = new LocalStore(root, options, locks, new SecureRandom().nextLong(), fsync);
    try {
      store.removeStaleTempFiles();
    } catch (IOException e) {
      locks.release();
      throw new ConfigException(
          "local store '" + options.name() + "' could not sweep stale temp files (" + reason(e) + ")", e);
    }
    return store;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.full().withPresign(presigner.isPresent());
  }

  /**
   * Writes the object atomically and durably: when this returns the body and its metadata are fsynced and
   * renamed into place; on any failure, including a refused condition or a wrong declared length, the previous
   * object is untouched. Thread- and process-safe.
   */
  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    ensureOpen();
    Path dir = directoryOf(key);
    Path temp = null;
    try {
      Set<Path> newParents = new LinkedHashSet<>();
      FileChannel out = null;
      for (int attempt = 0; out == null; attempt++) {
        temp = dir.resolve(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
          out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
          // The key's directory is missing, or a concurrent delete pruned it: (re)create it and try again.
          if (attempt >= DIRECTORY_RETRIES) {
            throw e;
          }
          makeDirectories(dir, newParents);
        } catch (FileAlreadyExistsException e) {
          if (attempt >= DIRECTORY_RETRIES) {
            throw e;
          }
        }
      }
      ObjectInfo info;
      try (FileChannel channel = out) {
        info = writeBody(key, body, options, channel);
        force(channel);
      }
      try (KeyLocks.Held held = locks.lock(key)) {
        checkCondition(key, dir.resolve(DATA_FILE), options.condition());
        Files.move(temp, dir.resolve(DATA_FILE), StandardCopyOption.ATOMIC_MOVE);
        temp = null;
        fsyncDirectory(dir);
      }
      // Directories made for this key become durable before the put returns; fsyncing them after the data
      // file lets the file system fold their entries into the commits the file already paid for.
      for (Path parent : newParents) {
        fsyncDirectory(parent);
      }
      return info;
    } catch (IOException e) {
      throw unavailable("put", key, e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Opens the object version current at the call; later overwrites do not affect the open read. Whole reads
   * verify size and SHA-256 at EOF.
   */
  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    ensureOpen();
    FileChannel channel;
    try {
      channel = FileChannel.open(dataFile(key), StandardOpenOption.READ);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw notFound(key);
    } catch (IOException e) {
      throw unavailable("get", key, e);
    }
    try {
      ObjectInfo info = ObjectFile.read(channel, key, describe(key)).info();
      if (range.offset() > info.size()) {
        throw new RangeNotSatisfiableException("local store '" + name + "': range offset " + range.offset()
            + " is beyond the end of '" + key + "' (" + info.size() + " bytes)");
      }
      InputStream stream = new RangeInputStream(channel, range.offset(), range.lengthWithin(info.size()));
      if (range.isAll()) {
        stream = new VerifyingInputStream(stream, info.sha256(), info.size(), describe(key));
      }
      return new ObjectContent(info, range, stream);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof IOException io) {
        throw unavailable("get", key, io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    ensureOpen();
    try {
      return readTrailer(key, dataFile(key)).map(ObjectFile.Trailer::info);
    } catch (IOException e) {
      throw unavailable("head", key, e);
    }
  }

  /** One page in code point order; never shows temp files or the store's own files. */
  @Override
  public ListPage list(ListRequest request) {
    ensureOpen();
    try {
      return listing(request).page();
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "local store '" + name + "': could not list prefix '" + request.prefix() + "' (" + reason(e) + ")", e);
    }
  }

  /** Removes the object durably and prunes the directories it leaves empty; idempotent. */
  @Override
  public boolean delete(ObjectKey key) {
    ensureOpen();
    Path dir = directoryOf(key);
    boolean existed;
    try (KeyLocks.Held held = locks.lock(key)) {
      existed = Files.deleteIfExists(dir.resolve(DATA_FILE));
      Files.deleteIfExists(dir.resolve(TAGS_FILE));
      if (existed) {
        fsyncDirectory(dir);
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw unavailable("delete", key, e);
    }
    pruneEmptyDirectories(dir);
    return existed;
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    ensureOpen();
    Path dir = directoryOf(key);
    try {
      ObjectFile.Trailer trailer = readTrailer(key, dir.resolve(DATA_FILE)).orElseThrow(() -> notFound(key));
      return sidecarTags(dir, trailer.info().version()).orElse(trailer.tags());
    } catch (IOException e) {
      throw unavailable("read the tags of", key, e);
    }
  }

  /** Replaces the tags durably through a sidecar naming the current version; never rewrites the body. */
  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    ensureOpen();
    Tags.validate(tags);
    Path dir = directoryOf(key);
    Path temp = null;
    try (KeyLocks.Held held = locks.lock(key)) {
      ObjectFile.Trailer trailer = readTrailer(key, dir.resolve(DATA_FILE)).orElseThrow(() -> notFound(key));
      ObjectNode node = ObjectFile.JSON.createObjectNode();
      node.put("version", trailer.info().version());
      node.set("tags", ObjectFile.JSON.valueToTree(Map.copyOf(tags)));
      temp = dir.resolve(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(ObjectFile.JSON.writeValueAsBytes(node));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        force(out);
      }
      Files.move(temp, dir.resolve(TAGS_FILE), StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw unavailable("set the tags of", key, e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    ensureOpen();
    return presigner
        .orElseThrow(() -> new InvalidRequestException(
            "local store '" + name + "' cannot presign: no presigner is configured"))
        .sign(key, request);
  }

  /** Closes the store; idempotent. Later calls fail with {@link InvalidRequestException}. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      locks.release();
    }
  }

  /** A listing of one page, whose work counters tests can read after {@link Listing#page()}. */
  Listing listing(ListRequest request) {
    return new Listing(this, request);
  }

  /** The data file of {@code key}, for tests that damage it behind the store's back. */
  Path dataFile(ObjectKey key) {
    return directoryOf(key).resolve(DATA_FILE);
  }

  Path root() {
    return root;
  }

  /** The trailer of the data file at {@code file}, or empty if there is none. */
  Optional<ObjectFile.Trailer> readTrailer(ObjectKey key, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return Optional.of(ObjectFile.read(channel, key, describe(key)));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    }
  }

  private ObjectInfo writeBody(ObjectKey key, InputStream body, PutOptions options, FileChannel out)
      throws IOException {
    long declared = options.contentLength();
    int bufferSize = options.lengthKnown()
        ? (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, declared + 1))
        : UNKNOWN_LENGTH_BUFFER;
    byte[] buffer = new byte[bufferSize];
    MessageDigest digest = Digests.sha256();
    long size = 0;
    try (BackgroundFlush flush = new BackgroundFlush(out, fsync)) {
      size = copy(key, body, options, out, buffer, digest, flush);
    }
    if (options.lengthKnown() && size != declared) {
      throw new InvalidRequestException("local store '" + name + "': body of '" + key + "' has " + size
          + " bytes, shorter than the declared " + declared + "; nothing was written");
    }
    ObjectInfo info = new ObjectInfo(key, size, Digests.hex(digest), nextVersion(), clock.instant(),
        options.contentType(), options.metadata());
    ByteBuffer trailer = ObjectFile.encode(new ObjectFile.Trailer(info, options.tags()));
    while (trailer.hasRemaining()) {
      out.write(trailer);
    }
    return info;
  }

  private long copy(ObjectKey key, InputStream body, PutOptions options, FileChannel out, byte[] buffer,
      MessageDigest digest, BackgroundFlush flush) throws IOException {
    long declared = options.contentLength();
    long size = 0;
    while (true) {
      int want = buffer.length;
      if (options.lengthKnown() && declared - size < want) {
        // Ask for one byte past the declared end, so that a longer body is noticed.
        want = (int) (declared - size) + 1;
      }
      int n = body.read(buffer, 0, want);
      if (n < 0) {
        break;
      }
      if (options.lengthKnown() && size + n > declared) {
        throw new InvalidRequestException("local store '" + name + "': body of '" + key
            + "' is longer than the declared " + declared + " bytes; nothing was written");
      }
      digest.update(buffer, 0, n);
      ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
      while (chunk.hasRemaining()) {
        out.write(chunk);
      }
      size += n;
      flush.written(size);
    }
    return size;
  }

  private void checkCondition(ObjectKey key, Path file, WriteCondition condition) throws IOException {
    switch (condition) {
      case WriteCondition.None none -> { }
      case WriteCondition.IfAbsent absent -> {
        if (Files.exists(file)) {
          throw new PreconditionFailedException(
              "local store '" + name + "': '" + key + "' already exists; nothing was written");
        }
      }
      case WriteCondition.IfVersion ifVersion -> {
        Optional<String> current = readTrailer(key, file).map(t -> t.info().version());
        if (current.isEmpty()) {
          throw new PreconditionFailedException("local store '" + name + "': '" + key
              + "' does not exist, expected version " + ifVersion.version() + "; nothing was written");
        }
        if (!current.get().equals(ifVersion.version())) {
          throw new PreconditionFailedException("local store '" + name + "': '" + key + "' is at version "
              + current.get() + ", expected " + ifVersion.version() + "; nothing was written");
        }
      }
    }
  }

  private String nextVersion() {
    long now = Math.multiplyExact(clock.millis(), 1000L);
    long next = generation.updateAndGet(last -> Math.max(last + 1, now));
    return hex(next, 13) + "-" + hex(nonce, 16);
  }

  private static String hex(long value, int digits) {
    String h = Long.toHexString(value);
    return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
  }

  private Optional<Map<String, String>> sidecarTags(Path dir, String version) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(TAGS_FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode node = ObjectFile.JSON.readTree(bytes);
      if (!version.equals(node.path("version").asText())) {
        return Optional.empty();
      }
      return Optional.of(Map.copyOf(ObjectFile.strings(node.get("tags"))));
    } catch (IOException | IllegalArgumentException e) {
      // Sidecars are written by rename, so a damaged one was damaged behind the store's back; the trailer's
      // tags are the last that are known good.
      return Optional.empty();
    }
  }

  /** Creates {@code dir} and any missing parents below the root, noting the parents whose entries changed. */
  private void makeDirectories(Path dir, Set<Path> newParents) throws IOException {
    // Deepest first: a key's parents usually exist, so a fresh key costs one mkdir.
    try {
      Files.createDirectory(dir);
      newParents.add(dir.getParent());
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new NotDirectoryException(dir.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      Path parent = dir.getParent();
      if (parent == null || !parent.startsWith(root) || parent.equals(root)) {
        throw e;
      }
      makeDirectories(parent, newParents);
      makeDirectories(dir, newParents);
    }
  }

  private void pruneEmptyDirectories(Path dir) {
    for (Path p = dir; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        // Empty directories are harmless to listings; leaving one behind is not an error.
        return;
      }
    }
  }

  private void removeStaleTempFiles() throws IOException {
    Instant cutoff = clock.instant().minus(STALE_TEMP_AGE);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (file.getFileName().toString().startsWith(TEMP_PREFIX)
            && attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
  }

  Path directoryOf(ObjectKey key) {
    Path dir = root;
    for (String segment : key.value().split("/")) {
      dir = dir.resolve(segment);
    }
    return dir;
  }

  String describe(ObjectKey key) {
    return "local store '" + name + "': object '" + key + "'";
  }

  private NotFoundException notFound(ObjectKey key) {
    return new NotFoundException("local store '" + name + "': no object '" + key + "'");
  }

  private StoreUnavailableException unavailable(String action, ObjectKey key, IOException e) {
    return new StoreUnavailableException(
        "local store '" + name + "': could not " + action + " '" + key + "' (" + reason(e) + ")", e);
  }

  /** The kind of an I/O failure without the host paths that exception messages carry. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      String why = fs.getReason();
      return e.getClass().getSimpleName() + (why == null ? "" : ": " + why);
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new InvalidRequestException("local store '" + name + "' is closed");
    }
  }

  private void force(FileChannel channel) throws IOException {
    if (fsync) {
      channel.force(true);
    }
  }

  private void fsyncDirectory(Path dir) throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temp file is never listed and is swept on a later open.
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was read through it that the caller relies on.
    }
  }
}
