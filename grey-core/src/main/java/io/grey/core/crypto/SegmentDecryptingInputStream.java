package io.grey.core.crypto;

import io.grey.core.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Decrypts a run of consecutive segments read from the stored object and yields a slice of their plaintext.
 * Each segment is authenticated before any of its bytes are released, against its index and whether it is the
 * object's last, so truncated, reordered, swapped or altered ciphertext throws {@link IntegrityException}
 * naming the object. Holds one segment at a time. Not thread-safe.
 */
final class SegmentDecryptingInputStream extends InputStream {
  private final InputStream in;
  private final EnvelopeHeader header;
  private final SecretKey dataKey;
  private final byte[] aad;
  private final long plainSize;
  private final long lastIndex;
  private final boolean checkEnd;
  private final String what;
  private final Cipher cipher;
  private final byte[] sealed;
  private final byte[] plain;
  private long index;
  private long toSkip;
  private long remaining;
  private int position;
  private int limit;

  /**
   * @param in the stored bytes starting at segment {@code firstIndex}
   * @param firstIndex the first segment {@code in} holds
   * @param lastIndex the last segment to decrypt
   * @param skip plaintext bytes to drop from the start of the first segment
   * @param length plaintext bytes to yield
   * @param checkEnd whether {@code in} must end right after the object's last segment (a whole read)
   */
  SegmentDecryptingInputStream(InputStream in, EnvelopeHeader header, SecretKey dataKey, byte[] aad,
      long plainSize, long firstIndex, long lastIndex, long skip, long length, boolean checkEnd, String what) {
    this.in = in;
    this.header = header;
    this.dataKey = dataKey;
    this.aad = aad;
    this.plainSize = plainSize;
    this.index = firstIndex;
    this.lastIndex = lastIndex;
    this.toSkip = skip;
    this.remaining = length;
    this.checkEnd = checkEnd;
    this.what = what;
    this.sealed = new byte[header.segmentSize() + EnvelopeHeader.TAG_BYTES];
    this.plain = new byte[header.segmentSize()];
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by every Java platform", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (position == limit || remaining == 0) {
      // A whole read authenticates every segment, the empty last one of an empty object included.
      if (index > lastIndex || (remaining == 0 && !checkEnd)) {
        return -1;
      }
      nextSegment();
    }
    int n = (int) Math.min(Math.min(len, limit - position), remaining);
    System.arraycopy(plain, position, buf, off, n);
    position += n;
    remaining -= n;
    return n;
  }

  private void nextSegment() throws IOException {
    long count = header.segmentCount(plainSize);
    boolean last = index == count - 1;
    int plainLength = header.plainLength(index, plainSize);
    int sealedLength = plainLength + EnvelopeHeader.TAG_BYTES;
    int got = in.readNBytes(sealed, 0, sealedLength);
    if (got != sealedLength) {
      throw new IntegrityException(what + ": encrypted object is truncated in segment " + index + " of " + count);
    }
    int opened;
    try {
      cipher.init(Cipher.DECRYPT_MODE, dataKey,
          new GCMParameterSpec(EnvelopeHeader.TAG_BYTES * 8, header.nonce(index, last)));
      cipher.updateAAD(aad);
      opened = cipher.doFinal(sealed, 0, sealedLength, plain, 0);
    } catch (AEADBadTagException e) {
      throw new IntegrityException(what + ": segment " + index + " of " + count
          + " does not authenticate (altered, truncated, reordered or from another object)", e);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException(what + ": segment " + index + " could not be decrypted (" + e + ")", e);
    }
    if (last && checkEnd && in.read() >= 0) {
      throw new IntegrityException(what + ": encrypted object has bytes after its last segment");
    }
    index++;
    int skip = (int) Math.min(toSkip, opened);
    toSkip -= skip;
    position = skip;
    limit = opened;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
