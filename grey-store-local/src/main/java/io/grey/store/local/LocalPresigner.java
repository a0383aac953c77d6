package io.grey.store.local;

import io.grey.core.AccessDeniedException;
import io.grey.core.ConfigException;
import io.grey.core.ObjectKey;
import io.grey.core.store.PresignRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies presigned URLs of the local store with HMAC-SHA256 over the method, the key and the
 * expiry, keyed by a 32-byte secret of this node. A URL has the form
 * {@code {baseUrl}/v1/presigned/{key}?method=GET&expires={epoch seconds}&signature={base64url}}, each key
 * segment percent-encoded as UTF-8. Thread-safe.
 */
public final class LocalPresigner {
  /** The file, under a node's data directory, that holds its presigned-URL secret. */
  public static final String SECRET_FILE = "presign.key";

  static final int SECRET_BYTES = 32;
  static final String INVALID = "presigned URL is invalid or expired";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern EPOCH_SECONDS = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final byte[] secret;
  private final String base;
  private final Clock clock;

  private LocalPresigner(byte[] secret, URI baseUrl, Clock clock) {
    this.secret = secret;
    String url = baseUrl.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.clock = clock;
  }

  /**
   * Loads the node's secret from {@code secretFile}, or creates it (32 random bytes, owner-only permissions)
   * when missing. Creation is atomic: the secret is written and fsynced under a temporary name and then linked
   * into place without replacing, so processes that start together all end up with the same secret.
   *
   * @throws ConfigException if the file cannot be read or created, or does not hold exactly 32 bytes
   */
  public static LocalPresigner loadOrCreate(Path secretFile, URI baseUrl, Clock clock) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(clock, "clock");
    try {
      return new LocalPresigner(loadSecret(secretFile), baseUrl, clock);
    } catch (IOException e) {
      throw new ConfigException(
          "presign secret file " + secretFile + " cannot be read or created (" + LocalStore.reason(e) + ")", e);
    }
  }

  /**
   * A URL that allows {@code request.method()} on {@code key} until the clock passes now plus the TTL
   * (rounded down to the second). Signing has no side effects.
   */
  public URI sign(ObjectKey key, PresignRequest request) {
    long expires = clock.instant().plus(request.ttl()).getEpochSecond();
    String method = request.method().name();
    String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac(method, key, expires));
    StringBuilder url = new StringBuilder(base).append("/v1/presigned/");
    String[] segments = key.value().split("/");
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        url.append('/');
      }
      percentEncode(segments[i], url);
    }
    url.append("?method=").append(method).append("&expires=").append(expires).append("&signature=")
        .append(signature);
    return URI.create(url.toString());
  }

  /**
   * Checks that a presigned URL for {@code key} with these query values was signed by this node, allows
   * {@code method} and has not expired. Comparison is constant-time.
   *
   * @throws AccessDeniedException with the same message for every kind of failure, so a caller learns
   *     nothing about which part was wrong
   */
  public void verify(String method, ObjectKey key, String expires, String signature) {
    if (method == null || key == null || expires == null || signature == null) {
      throw denied();
    }
    if (!method.equals("GET") && !method.equals("PUT")) {
      throw denied();
    }
    if (!EPOCH_SECONDS.matcher(expires).matches() || !BASE64URL.matcher(signature).matches()) {
      throw denied();
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw denied();
    }
    long expiresAt = Long.parseLong(expires);
    if (!MessageDigest.isEqual(mac(method, key, expiresAt), given)) {
      throw denied();
    }
    Instant now = clock.instant();
    if (!Instant.ofEpochSecond(expiresAt).isAfter(now)) {
      throw denied();
    }
  }

  private byte[] mac(String method, ObjectKey key, long expires) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      // Keys contain no control characters, so newline-separated fields cannot be confused.
      String payload = "grey-presign-v1\n" + method + "\n" + key.value() + "\n" + expires;
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  private static AccessDeniedException denied() {
    return new AccessDeniedException(INVALID);
  }

  private static void percentEncode(String segment, StringBuilder out) {
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
  }

  private static byte[] loadSecret(Path secretFile) throws IOException {
    try {
      return readSecret(secretFile);
    } catch (NoSuchFileException e) {
      // First start on this node: create it below.
    }
    Path dir = secretFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] fresh = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(fresh);
    Path temp = dir.resolve(secretFile.getFileName() + ".tmp-" + Long.toHexString(new SecureRandom().nextLong()));
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(fresh);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        // A hard link never replaces: exactly one process's secret becomes the node's secret.
        Files.createLink(secretFile, temp);
      } catch (FileAlreadyExistsException lost) {
        // Another process created it first; use its secret.
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
    return readSecret(secretFile);
  }

  private static byte[] readSecret(Path secretFile) throws IOException {
    byte[] bytes = Files.readAllBytes(secretFile);
    if (bytes.length != SECRET_BYTES) {
      throw new ConfigException("presign secret file " + secretFile + " must hold exactly " + SECRET_BYTES
          + " bytes, found " + bytes.length);
    }
    return bytes;
  }
}
