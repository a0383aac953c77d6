package io.grey.core.crypto;

import io.grey.core.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link KeyProvider} backed by a keyring file holding several AES-256 key-encryption keys by id, one of them
 * current. Data keys are wrapped with AES key wrap (RFC 3394), which needs no nonce and so has no per-KEK usage
 * limit. The file is created atomically with permissions 0600 and is never replaced by a second creator; a file
 * readable or writable by group or others is refused. {@link #rotate()} adds a new current KEK and keeps the old
 * ones, so objects wrapped earlier stay readable. Thread-safe; rotations are serialised within this process and,
 * through a lock file beside the keyring, across processes.
 *
 * <p>File format (UTF-8 text, one entry per line, {@code #} comments):
 *
 * <pre>
 * current=&lt;id&gt;
 * kek.&lt;id&gt;=&lt;base64 of 32 key bytes&gt;
 * </pre>
 *
 * Ids are 16 lower-case hex digits drawn at random, so two keyrings practically never share an id and a wrong
 * keyring shows as a missing id.
 */
public final class LocalKeyring implements KeyProvider {
  /** The keyring's usual file name under the data directory. */
  public static final String FILE_NAME = "keyring";

  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final int KEK_BYTES = 32;
  private static final Object ROTATION = new Object();

  private final Path file;
  private final SecureRandom random;
  private volatile Snapshot snapshot;

  /** The KEKs in file order and the id of the current one. */
  private record Snapshot(Map<String, SecretKey> keks, String current) {}

  private LocalKeyring(Path file, SecureRandom random, Snapshot snapshot) {
    this.file = file;
    this.random = random;
    this.snapshot = snapshot;
  }

  /**
   * Opens the keyring at {@code file}, creating it with one fresh current KEK if it does not exist. Creation is
   * atomic: concurrent creators end up sharing one file, and an existing keyring is never overwritten.
   *
   * @throws ConfigException if the file is readable or writable by others (naming {@code chmod 600}), malformed,
   *     or cannot be read or created
   */
  public static LocalKeyring loadOrCreate(Path file, SecureRandom random) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(random, "random");
    if (!Files.exists(file)) {
      Map<String, SecretKey> keks = new LinkedHashMap<>();
      String id = newId(random, keks);
      keks.put(id, newKek(random));
      try {
        createExclusively(file, render(new Snapshot(keks, id)));
      } catch (FileAlreadyExistsException raced) {
        // Another creator won; its keyring is the one to use.
      } catch (IOException e) {
        throw new ConfigException("keyring " + file + ": could not be created (" + e.getMessage() + ")", e);
      }
    }
    return new LocalKeyring(file, random, load(file));
  }

  /** The keyring file. */
  public Path file() {
    return file;
  }

  /** The ids of all KEKs held, oldest first. */
  public List<String> keyIds() {
    return List.copyOf(snapshot.keks().keySet());
  }

  @Override
  public String currentKeyId() {
    return snapshot.current();
  }

  /**
   * Adds a fresh KEK and makes it current; older KEKs stay so that objects wrapped under them remain readable.
   * The file is replaced atomically (a crash leaves the old or the new keyring, permissions 0600).
   *
   * @return the new current key id
   * @throws ConfigException if the keyring cannot be written; nothing changed then
   */
  public String rotate() {
    // Rotation rewrites the whole file from what it holds now; two rotations interleaving would drop a KEK and
    // with it every object wrapped under it, so rotations are serialised in this process and across processes.
    synchronized (ROTATION) {
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        return rotateLocked();
      } catch (IOException e) {
        throw new ConfigException("keyring " + file + ": could not lock " + lockFile + " to rotate ("
            + e.getMessage() + ")", e);
      }
    }
  }

  private String rotateLocked() {
    Snapshot before = load(file);
    Map<String, SecretKey> keks = new LinkedHashMap<>(before.keks());
    String id = newId(random, keks);
    keks.put(id, newKek(random));
    Snapshot after = new Snapshot(keks, id);
    Path temp = file.resolveSibling(file.getFileName() + "." + HexFormat.of().toHexDigits(random.nextLong()) + ".tmp");
    try {
      createExclusively(temp, render(after));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // The rotation failed already; a left-over temporary file holds nothing the keyring lacks.
      }
      throw new ConfigException("keyring " + file + ": could not be rotated (" + e.getMessage() + ")", e);
    }
    snapshot = after;
    return id;
  }

  @Override
  public byte[] wrap(String keyId, byte[] dataKey) {
    try {
      Cipher cipher = Cipher.getInstance("AESWrap");
      cipher.init(Cipher.WRAP_MODE, kek(keyId));
      return cipher.wrap(new SecretKeySpec(dataKey, "AES"));
    } catch (GeneralSecurityException e) {
      throw new ConfigException("key-encryption key '" + keyId + "' of keyring " + file + " cannot wrap ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public byte[] unwrap(String keyId, byte[] wrapped) {
    SecretKey kek = kek(keyId);
    try {
      Cipher cipher = Cipher.getInstance("AESWrap");
      cipher.init(Cipher.UNWRAP_MODE, kek);
      Key key = cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
      return key.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new ConfigException("data key does not unwrap under key-encryption key '" + keyId + "' of keyring "
          + file + ": the keyring holds a different key under that id, or the wrapped key was altered", e);
    }
  }

  @Override
  public String toString() {
    return "LocalKeyring[" + file + ", current " + snapshot.current() + ", " + snapshot.keks().size() + " keys]";
  }

  private SecretKey kek(String keyId) {
    SecretKey kek = snapshot.keks().get(keyId);
    if (kek == null) {
      // A KEK added by a rotation in another process is only in the file.
      Snapshot reread = load(file);
      snapshot = reread;
      kek = reread.keks().get(keyId);
    }
    if (kek == null) {
      throw new ConfigException("key-encryption key '" + keyId + "' is not in keyring " + file);
    }
    return kek;
  }

  private static String newId(SecureRandom random, Map<String, SecretKey> taken) {
    String id;
    do {
      id = HexFormat.of().toHexDigits(random.nextLong());
    } while (taken.containsKey(id));
    return id;
  }

  private static SecretKey newKek(SecureRandom random) {
    byte[] bytes = new byte[KEK_BYTES];
    random.nextBytes(bytes);
    return new SecretKeySpec(bytes, "AES");
  }

  private static String render(Snapshot snapshot) {
    StringBuilder text = new StringBuilder("# Grey keyring: AES-256 key-encryption keys. Keep private (0600); "
        + "losing it loses every object encrypted under its keys.\n");
    text.append("current=").append(snapshot.current()).append('\n');
    snapshot.keks().forEach((id, kek) ->
        text.append("kek.").append(id).append('=').append(Base64.getEncoder().encodeToString(kek.getEncoded()))
            .append('\n'));
    return text.toString();
  }

  /** Writes {@code text} to a new file at {@code target} that is 0600 from birth and durable on return. */
  private static void createExclusively(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    Path temp = dir.resolve(target.getFileName() + ".new-" + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().threadId());
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Files.deleteIfExists(temp);
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), attributes)) {
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    try {
      // A hard link fails if the target exists, which makes creation atomic without ever replacing a keyring.
      Files.createLink(target, temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Snapshot load(Path file) {
    checkPermissions(file);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("keyring " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("keyring " + file + ": could not be read (" + e.getMessage() + ")", e);
    }
    Map<String, SecretKey> keks = new LinkedHashMap<>();
    String current = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String where = "keyring " + file + " line " + (n + 1);
      if (eq < 0) {
        throw new ConfigException(where + ": expected 'current=<id>' or 'kek.<id>=<base64>'");
      }
      String name = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (name.equals("current")) {
        current = value;
      } else if (name.startsWith("kek.") && ID.matcher(name.substring(4)).matches()) {
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(where + ": key '" + name.substring(4) + "' is not valid base64");
        }
        if (bytes.length != KEK_BYTES) {
          throw new ConfigException(where + ": key '" + name.substring(4) + "' must be 32 bytes, got "
              + bytes.length);
        }
        if (keks.put(name.substring(4), new SecretKeySpec(bytes, "AES")) != null) {
          throw new ConfigException(where + ": key id '" + name.substring(4) + "' appears twice");
        }
      } else {
        throw new ConfigException(where + ": unknown entry '" + name + "'");
      }
    }
    if (current == null || !keks.containsKey(current)) {
      throw new ConfigException("keyring " + file + ": 'current' must name one of its keys, got "
          + (current == null ? "none" : "'" + current + "'"));
    }
    return new Snapshot(Collections.unmodifiableMap(keks), current);
  }

  private static void checkPermissions(Path file) {
    try {
      if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
        return;
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        throw new ConfigException("keyring " + file + " has permissions "
            + PosixFilePermissions.toString(permissions) + " and is readable or writable by others; run chmod 600 "
            + file);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException("keyring " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("keyring " + file + ": permissions could not be read (" + e.getMessage() + ")", e);
    }
  }
}
