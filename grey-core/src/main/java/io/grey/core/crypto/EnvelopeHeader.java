package io.grey.core.crypto;

import io.grey.core.IntegrityException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header that starts every encrypted object (format 1, see {@link EncryptionLayer}); its bytes are also the
 * associated data of every segment, so altering any field makes every segment fail to authenticate.
 *
 * @param segmentSize plaintext bytes per segment
 * @param keyId the id of the KEK that wrapped the data key
 * @param wrappedKey the data key wrapped under that KEK
 * @param noncePrefix the per-object prefix of every segment nonce
 */
record EnvelopeHeader(int segmentSize, String keyId, byte[] wrappedKey, byte[] noncePrefix) {
  static final byte[] MAGIC = {'G', 'R', 'Y', 'E'};
  static final int VERSION = 1;
  static final int NONCE_PREFIX_BYTES = 7;
  static final int TAG_BYTES = 16;
  static final int MIN_SEGMENT = 4096;
  static final int MAX_SEGMENT = 16 * 1024 * 1024;
  static final int MAX_KEY_ID_BYTES = 64;

  EnvelopeHeader {
    if (segmentSize < MIN_SEGMENT || segmentSize > MAX_SEGMENT) {
      throw new IllegalArgumentException("segment size " + segmentSize + " out of range");
    }
    int idBytes = keyId.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes < 1 || idBytes > MAX_KEY_ID_BYTES) {
      throw new IllegalArgumentException("key id must be 1-" + MAX_KEY_ID_BYTES + " UTF-8 bytes");
    }
    if (wrappedKey.length < 1 || wrappedKey.length > 255) {
      throw new IllegalArgumentException("wrapped key must be 1-255 bytes");
    }
    if (noncePrefix.length != NONCE_PREFIX_BYTES) {
      throw new IllegalArgumentException("nonce prefix must be " + NONCE_PREFIX_BYTES + " bytes");
    }
    wrappedKey = wrappedKey.clone();
    noncePrefix = noncePrefix.clone();
  }

  /** The serialised header. */
  byte[] encode() {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(4 + 1 + 4 + 1 + id.length + 1 + wrappedKey.length + NONCE_PREFIX_BYTES);
    out.put(MAGIC).put((byte) VERSION).putInt(segmentSize).put((byte) id.length).put(id)
        .put((byte) wrappedKey.length).put(wrappedKey).put(noncePrefix);
    return out.array();
  }

  /**
   * Parses a header that must span all of {@code bytes}.
   *
   * @throws IntegrityException naming {@code what} if the bytes are not a format-1 header
   */
  static EnvelopeHeader decode(byte[] bytes, String what) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IntegrityException(what + ": not in Grey's encrypted format (bad magic)");
      }
      int version = in.get() & 0xff;
      if (version != VERSION) {
        throw new IntegrityException(what + ": encrypted format version " + version + " is not supported");
      }
      int segmentSize = in.getInt();
      byte[] id = new byte[in.get() & 0xff];
      in.get(id);
      byte[] wrapped = new byte[in.get() & 0xff];
      in.get(wrapped);
      byte[] prefix = new byte[NONCE_PREFIX_BYTES];
      in.get(prefix);
      if (in.hasRemaining()) {
        throw new IntegrityException(what + ": encryption header has trailing bytes");
      }
      return new EnvelopeHeader(segmentSize, new String(id, StandardCharsets.UTF_8), wrapped, prefix);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IntegrityException(what + ": malformed encryption header (" + e.getMessage() + ")", e);
    }
  }

  /** The length of the encoded header. */
  int length() {
    return 4 + 1 + 4 + 1 + keyId.getBytes(StandardCharsets.UTF_8).length + 1 + wrappedKey.length
        + NONCE_PREFIX_BYTES;
  }

  /** How many segments a plaintext of {@code plainSize} bytes takes: at least one, the last one final. */
  long segmentCount(long plainSize) {
    return plainSize == 0 ? 1 : (plainSize + segmentSize - 1) / segmentSize;
  }

  /** Plaintext bytes in segment {@code index}. */
  int plainLength(long index, long plainSize) {
    return (int) Math.min(segmentSize, plainSize - index * segmentSize);
  }

  /** Where segment {@code index} starts in the stored object. */
  long cipherOffset(long index) {
    return length() + index * (segmentSize + (long) TAG_BYTES);
  }

  /** The stored object's size for a plaintext of {@code plainSize} bytes. */
  long cipherSize(long plainSize) {
    return length() + plainSize + segmentCount(plainSize) * TAG_BYTES;
  }

  /** The 12-byte GCM nonce of segment {@code index}: prefix, big-endian index, final flag. */
  byte[] nonce(long index, boolean last) {
    return ByteBuffer.allocate(12).put(noncePrefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EnvelopeHeader h && Arrays.equals(encode(), h.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "EnvelopeHeader[version " + VERSION + ", segment " + segmentSize + ", key id " + keyId + "]";
  }
}
