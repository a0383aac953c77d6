package io.grey.core.artifact;

import io.grey.core.ConfigException;
import io.grey.core.store.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The node's Ed25519 key pair, which signs proofs. Kept in {@code <dataDir>/node-ed25519.key} (PKCS#8 PEM,
 * owner read/write only) with the public half in {@code <dataDir>/node-ed25519.pub} (X.509
 * SubjectPublicKeyInfo PEM) for anyone who verifies proofs offline. Immutable and thread-safe.
 */
public final class NodeKey {
  /** The private key file's name inside the data directory. */
  public static final String KEY_FILE = "node-ed25519.key";
  /** The public key file's name inside the data directory. */
  public static final String PUBLIC_KEY_FILE = "node-ed25519.pub";

  private static final String ALGORITHM = "Ed25519";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> WORLD_READABLE = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private NodeKey(KeyPair pair) {
    this.privateKey = pair.getPrivate();
    this.publicKey = pair.getPublic();
    this.keyId = keyIdOf(publicKey);
  }

  /**
   * The key pair of {@code dataDir}, created on first use. Creation is atomic: the private key is written to
   * a temporary file created with permissions 0600 (never readable by others, even for a moment), synced, and
   * linked into place only if no key exists yet, so processes starting together all end up with one key.
   *
   * @throws ConfigException if the key file is readable or writable by anyone but its owner (with the
   *     {@code chmod 600} that fixes it), is not an Ed25519 PKCS#8 PEM, or does not match the public key file
   */
  public static NodeKey loadOrCreate(Path dataDir) {
    Path keyFile = dataDir.resolve(KEY_FILE);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(keyFile)) {
        create(dataDir, keyFile);
      }
      KeyPair pair = load(keyFile);
      publishPublicKey(dataDir, pair.getPublic());
      return new NodeKey(pair);
    } catch (IOException e) {
      throw new ConfigException("cannot create or read node key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an Ed25519 public key from an X.509 SubjectPublicKeyInfo PEM file such as {@code node-ed25519.pub}.
   *
   * @throws ConfigException naming the file if it is missing or not such a key
   */
  public static PublicKey readPublicKey(Path pemFile) {
    try {
      byte[] der = Pem.decode(Files.readString(pemFile, StandardCharsets.US_ASCII), Pem.PUBLIC, pemFile);
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (NoSuchFileException e) {
      throw new ConfigException("public key file " + pemFile + " not found", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read public key file " + pemFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(pemFile + " is not an Ed25519 public key in X.509 PEM form", e);
    }
  }

  /** The first 16 hex characters of the SHA-256 of {@code key}'s X.509 encoding: a short, stable key name. */
  public static String keyIdOf(PublicKey key) {
    return Digests.sha256Hex(key.getEncoded()).substring(0, 16);
  }

  /** This key's id, see {@link #keyIdOf(PublicKey)}. */
  public String keyId() {
    return keyId;
  }

  /** The Ed25519 signature of {@code data} (64 bytes; deterministic for the same key and data). */
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(privateKey);
      signer.update(data);
      return signer.sign();
    } catch (NoSuchAlgorithmException | InvalidKeyException | SignatureException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** The public half, for verification. */
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "NodeKey[" + keyId + "]";
  }

  private static void create(Path dataDir, Path keyFile) throws IOException {
    KeyPair pair = generator(new SecureRandom()).generateKeyPair();
    String pem = Pem.encode(Pem.PRIVATE, pair.getPrivate().getEncoded());
    Path temp = writeTemp(dataDir, KEY_FILE, pem, OWNER_ONLY);
    try {
      // A hard link fails if the key already exists, so of two processes racing here exactly one key wins.
      Files.createLink(keyFile, temp);
    } catch (FileAlreadyExistsException e) {
      // another process created the key first; use theirs
    } catch (UnsupportedOperationException | FileSystemException e) {
      // Without hard links, a non-replacing move is the closest substitute.
      try {
        Files.move(temp, keyFile);
      } catch (FileAlreadyExistsException raced) {
        // another process created the key first; use theirs
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static KeyPair load(Path keyFile) throws IOException {
    checkOwnerOnly(keyFile);
    byte[] der = Pem.decode(Files.readString(keyFile, StandardCharsets.US_ASCII), Pem.PRIVATE, keyFile);
    try {
      PrivateKey loaded = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed = ((EdECPrivateKey) loaded).getBytes()
          .orElseThrow(() -> new ConfigException(keyFile + " holds no Ed25519 private key bytes"));
      KeyPair pair = generator(new SeedRandom(seed)).generateKeyPair();
      if (!Arrays.equals(pair.getPrivate().getEncoded(), loaded.getEncoded())) {
        throw new ConfigException(keyFile + " could not be re-derived into an Ed25519 key pair");
      }
      return pair;
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new ConfigException(keyFile + " is not an Ed25519 private key in PKCS#8 PEM form", e);
    }
  }

  private static void checkOwnerOnly(Path keyFile) throws IOException {
    if (!posix(keyFile)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new ConfigException("node key " + keyFile + " has permissions "
          + PosixFilePermissions.toString(perms) + "; it must be readable and writable by its owner only: run"
          + " chmod 600 " + keyFile);
    }
  }

  private static void publishPublicKey(Path dataDir, PublicKey key) throws IOException {
    Path pubFile = dataDir.resolve(PUBLIC_KEY_FILE);
    String pem = Pem.encode(Pem.PUBLIC, key.getEncoded());
    if (Files.exists(pubFile)) {
      PublicKey existing = readPublicKey(pubFile);
      if (!Arrays.equals(existing.getEncoded(), key.getEncoded())) {
        throw new ConfigException(pubFile + " does not belong to " + dataDir.resolve(KEY_FILE)
            + ": delete " + pubFile + " and restart to write the matching public key");
      }
      return;
    }
    Path temp = writeTemp(dataDir, PUBLIC_KEY_FILE, pem, WORLD_READABLE);
    try {
      // Racing processes write identical bytes, so replacing is harmless.
      Files.move(temp, pubFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path writeTemp(Path dir, String name, String content, Set<PosixFilePermission> perms)
      throws IOException {
    Path temp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    FileAttribute<?>[] attrs = posix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    try (FileChannel ch = FileChannel.open(temp,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    return temp;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static KeyPairGenerator generator(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, random);
      return generator;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required by every Java 15+ platform", e);
    }
  }

  /**
   * Yields a stored private key's 32 bytes to the JDK's key pair generator, which is the only public JDK way to
   * derive the matching Ed25519 public key.
   */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }

  /** PEM armour of DER bytes. */
  static final class Pem {
    static final String PRIVATE = "PRIVATE KEY";
    static final String PUBLIC = "PUBLIC KEY";

    private Pem() {}

    static String encode(String type, byte[] der) {
      String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
      return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static byte[] decode(String pem, String type, Path file) {
      String begin = "-----BEGIN " + type + "-----";
      String end = "-----END " + type + "-----";
      int from = pem.indexOf(begin);
      int to = pem.indexOf(end);
      if (from < 0 || to < from) {
        throw new ConfigException(file + " is not a PEM file with a '" + begin + "' block");
      }
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
  }
}
