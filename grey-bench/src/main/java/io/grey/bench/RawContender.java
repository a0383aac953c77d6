package io.grey.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * The raw file baseline as a contender; with {@code hashed} it also computes a SHA-256 of the body on write and on
 * read, which isolates the cost of the digest Grey records and verifies from everything else Grey does.
 */
final class RawContender implements Contender {
  private final RawFileBaseline baseline;
  private final boolean hashed;

  RawContender(Path dir, boolean hashed) throws Exception {
    this.baseline = new RawFileBaseline(dir);
    this.hashed = hashed;
  }

  @Override
  public String label() {
    return hashed ? "raw+sha256" : "raw";
  }

  @Override
  public void put(String name, byte[] payload) throws Exception {
    InputStream body = new ByteArrayInputStream(payload);
    if (hashed) {
      DigestInputStream digesting = new DigestInputStream(body, MessageDigest.getInstance("SHA-256"));
      baseline.put(name, digesting);
      digesting.getMessageDigest().digest();
    } else {
      baseline.put(name, body);
    }
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    if (!hashed) {
      return baseline.get(name, sink);
    }
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long n = baseline.get(name, new java.security.DigestOutputStream(sink, digest));
    digest.digest();
    return n;
  }
}
