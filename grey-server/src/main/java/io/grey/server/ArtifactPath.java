package io.grey.server;

import io.grey.core.ArtifactName;
import io.grey.core.InvalidKeyException;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The parts of a request path under {@code /v1/artifacts/} or {@code /v1/proofs/}, taken from the raw request URI
 * as the client sent it (before any decoding or dot-segment removal), so that every naming rule of
 * {@link Tenant}, {@link TaskId} and {@link ArtifactName} sees exactly what the client asked for. Grey's
 * identifiers never need percent-encoding, so none is undone: an encoded character is simply not allowed.
 */
final class ArtifactPath {
  static final String ARTIFACTS = "/v1/artifacts/";
  static final String PROOFS = "/v1/proofs/";
  static final String PRESIGNED = "/v1/presigned/";
  static final String PRESIGN_SUFFIX = "/presign";

  /** A task's artifact collection, with the rest of the path ("" when the path ends at the task). */
  record Task(Tenant tenant, TaskId task, String rest) {
    /** The artifact the rest of the path names. */
    ArtifactName name() {
      return new ArtifactName(rest);
    }

    /** The artifact a {@code .../{name}/presign} path names. */
    ArtifactName presignedName() {
      if (!rest.endsWith(PRESIGN_SUFFIX) || rest.length() == PRESIGN_SUFFIX.length()) {
        throw new InvalidKeyException("a presign path must be /v1/artifacts/{tenant}/{task}/{name}/presign");
      }
      return new ArtifactName(rest.substring(0, rest.length() - PRESIGN_SUFFIX.length()));
    }

    /** Whether the path ends at the task (with or without a trailing '/'): a listing. */
    boolean isCollection() {
      return rest.isEmpty();
    }
  }

  private ArtifactPath() {}

  /**
   * Splits {@code rawPath}, which starts with {@code prefix}, into tenant, task and the rest.
   *
   * @throws InvalidKeyException if the tenant or task breaks its rule
   */
  static Task task(String rawPath, String prefix) {
    String tail = rawPath.substring(prefix.length());
    String[] parts = tail.split("/", 3);
    Tenant tenant = new Tenant(parts[0]);
    TaskId task = new TaskId(parts.length > 1 ? parts[1] : "");
    return new Task(tenant, task, parts.length > 2 ? parts[2] : "");
  }

  /**
   * Undoes the percent-encoding of each segment of a presigned key (UTF-8); '+' stays '+'.
   *
   * @throws InvalidKeyException if an escape is malformed or the bytes are not UTF-8
   */
  static String decodeKey(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new InvalidKeyException("malformed percent-escape in the key");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new InvalidKeyException("malformed percent-escape in the key");
        }
        pending.write(hi << 4 | lo);
        i += 3;
      } else {
        flush(pending, out);
        out.append(c);
        i++;
      }
    }
    flush(pending, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream pending, StringBuilder out) {
    if (pending.size() == 0) {
      return;
    }
    try {
      out.append(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(pending.toByteArray())));
    } catch (CharacterCodingException e) {
      throw new InvalidKeyException("the key is not valid UTF-8", e);
    }
    pending.reset();
  }
}
