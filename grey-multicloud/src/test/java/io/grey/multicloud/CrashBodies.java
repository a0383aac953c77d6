package io.grey.multicloud;

import io.grey.core.ObjectKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** The deterministic bodies of the crash test: version {@code v} of key {@code k}, which both processes compute. */
final class CrashBodies {
  static final int KEYS_PER_RUN = 100;
  /** Every tenth put of a run overwrites an earlier key of the same run. */
  static final int OVERWRITE_EVERY = 10;

  private CrashBodies() {}

  /** The key of put {@code i} (0-based) of run {@code run}. */
  static ObjectKey key(int run, int i) {
    int index = i % OVERWRITE_EVERY == OVERWRITE_EVERY - 1 ? i - OVERWRITE_EVERY + 1 : i;
    return ObjectKey.of("artifacts/crash/run-" + run + "/key-" + index);
  }

  /** Which version of its key put {@code i} writes (1 for the first write). */
  static int version(int i) {
    return i % OVERWRITE_EVERY == OVERWRITE_EVERY - 1 ? 2 : 1;
  }

  static byte[] body(ObjectKey key, int version) {
    SplittableRandom random = new SplittableRandom(key.value().hashCode() * 31L + version);
    byte[] out = new byte[1 + random.nextInt(16 * 1024)];
    random.nextBytes(out);
    return out;
  }

  static String sha(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
