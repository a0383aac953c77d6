package io.grey.store.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.IntegrityException;
import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The format of one data file: the body, then a JSON trailer describing it, then a fixed footer of the
 * trailer's length (4 bytes, big-endian) and the magic {@code GREYOBJ1} (8 bytes). Keeping body and metadata
 * in one file lets a put be one write, one fsync and one rename.
 */
final class ObjectFile {
  static final int FOOTER_BYTES = 12;
  private static final byte[] MAGIC = "GREYOBJ1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_TRAILER_BYTES = 1 << 20;
  static final ObjectMapper JSON = new ObjectMapper();

  private ObjectFile() {}

  /** What a data file records besides its body. */
  record Trailer(ObjectInfo info, Map<String, String> tags) {
    Trailer {
      tags = Map.copyOf(tags);
    }
  }

  /** The trailer and footer bytes to append after the body of {@code trailer.info()}. */
  static ByteBuffer encode(Trailer trailer) {
    // Written by hand: this runs on every put, and a few string appends beat a general serializer.
    ObjectInfo info = trailer.info();
    StringBuilder json = new StringBuilder(256);
    json.append("{\"key\":");
    quote(info.key().value(), json);
    json.append(",\"size\":").append(info.size()).append(",\"sha256\":");
    quote(info.sha256(), json);
    json.append(",\"version\":");
    quote(info.version(), json);
    json.append(",\"lastModified\":");
    quote(info.lastModified().toString(), json);
    json.append(",\"contentType\":");
    quote(info.contentType(), json);
    json.append(",\"metadata\":");
    object(info.metadata(), json);
    json.append(",\"tags\":");
    object(trailer.tags(), json);
    json.append('}');
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(bytes.length + FOOTER_BYTES);
    out.put(bytes).putInt(bytes.length).put(MAGIC).flip();
    return out;
  }

  private static void object(Map<String, String> map, StringBuilder json) {
    json.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      quote(e.getKey(), json);
      json.append(':');
      quote(e.getValue(), json);
    }
    json.append('}');
  }

  /** Appends {@code value} as a JSON string. */
  static void quote(String value, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || (Character.isSurrogate(c) && !validPair(value, i))) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
      if (Character.isHighSurrogate(c) && validPair(value, i)) {
        json.append(value.charAt(++i));
      }
    }
    json.append('"');
  }

  private static boolean validPair(String value, int i) {
    char c = value.charAt(i);
    return Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
  }

  /**
   * Reads the trailer of the data file of {@code key} open in {@code channel}.
   *
   * @throws IntegrityException if the footer or trailer is damaged or disagrees with the file's length
   */
  static Trailer read(FileChannel channel, ObjectKey key, String what) throws IOException {
    long fileSize = channel.size();
    if (fileSize < FOOTER_BYTES) {
      throw new IntegrityException(what + ": data file is too short to hold its trailer");
    }
    ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES);
    readFully(channel, footer, fileSize - FOOTER_BYTES);
    footer.flip();
    int length = footer.getInt();
    byte[] magic = new byte[MAGIC.length];
    footer.get(magic);
    if (!Arrays.equals(magic, MAGIC) || length <= 0 || length > MAX_TRAILER_BYTES
        || length > fileSize - FOOTER_BYTES) {
      throw new IntegrityException(what + ": data file has a damaged footer");
    }
    ByteBuffer json = ByteBuffer.allocate(length);
    long bodySize = fileSize - FOOTER_BYTES - length;
    readFully(channel, json, bodySize);
    try {
      JsonNode node = JSON.readTree(json.array());
      if (!key.value().equals(node.get("key").asText())) {
        throw new IntegrityException(what + ": data file belongs to another key");
      }
      ObjectInfo info = new ObjectInfo(
          key,
          node.get("size").asLong(),
          node.get("sha256").asText(),
          node.get("version").asText(),
          Instant.parse(node.get("lastModified").asText()),
          node.get("contentType").asText(),
          strings(node.get("metadata")));
      if (info.size() != bodySize) {
        throw new IntegrityException(
            what + ": data file holds " + bodySize + " body bytes, its trailer records " + info.size());
      }
      return new Trailer(info, strings(node.get("tags")));
    } catch (IOException | RuntimeException e) {
      if (e instanceof IntegrityException integrity) {
        throw integrity;
      }
      throw new IntegrityException(what + ": data file has a damaged trailer", e);
    }
  }

  /** A JSON object of strings as a map; absent or malformed input is an error of the caller's choosing. */
  static Map<String, String> strings(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IntegrityException("data file ended early");
      }
      at += n;
    }
  }
}
