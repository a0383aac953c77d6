package io.grey.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.GreyException;
import io.grey.core.store.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one encoding of an audit line: compact JSON with the fields in a fixed order and details sorted by key,
 * so that the same record always renders to the same bytes and a verifier can re-render and compare.
 */
final class AuditLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> FIELDS =
      List.of("seq", "time", "actor", "action", "store", "key", "result", "details", "prev", "hash");

  private AuditLines() {}

  /** The canonical content of a record, everything but its hash; the hash is the SHA-256 of these bytes. */
  static byte[] content(long seq, Instant time, AuditEntry entry, String prev) {
    return render(node(seq, time, entry, prev));
  }

  /** The SHA-256 hex that {@code record} must carry. */
  static String hashOf(long seq, Instant time, AuditEntry entry, String prev) {
    return Digests.sha256Hex(content(seq, time, entry, prev));
  }

  /** The exact bytes of {@code record}'s line, without the newline. */
  static byte[] line(AuditRecord record) {
    return withHash(content(record.seq(), record.time(), record.entry(), record.prev()), record.hash());
  }

  /** A line: the canonical content with {@code "hash"} added as its last field. */
  static byte[] withHash(byte[] content, String hash) {
    byte[] tail = (",\"hash\":\"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
    byte[] line = Arrays.copyOf(content, content.length - 1 + tail.length);
    System.arraycopy(tail, 0, line, content.length - 1, tail.length);
    return line;
  }

  /**
   * Parses one line (without its newline).
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  static AuditRecord parse(byte[] line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("not JSON: " + why);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    for (String field : FIELDS) {
      if (!node.has(field)) {
        throw new IllegalArgumentException("field '" + field + "' is missing");
      }
    }
    JsonNode seq = node.get("seq");
    if (!seq.canConvertToExactIntegral() || !seq.canConvertToLong() || seq.asLong() < 1) {
      throw new IllegalArgumentException("seq is not a positive integer");
    }
    JsonNode details = node.get("details");
    if (!details.isObject()) {
      throw new IllegalArgumentException("details is not an object");
    }
    Map<String, String> detailMap = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : details.properties()) {
      detailMap.put(e.getKey(), text(e.getValue(), "details." + e.getKey()));
    }
    Instant time;
    try {
      time = Instant.parse(text(node.get("time"), "time"));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time is not an ISO-8601 instant");
    }
    AuditEntry entry;
    try {
      entry = new AuditEntry(
          text(node.get("actor"), "actor"),
          text(node.get("action"), "action"),
          text(node.get("store"), "store"),
          text(node.get("key"), "key"),
          text(node.get("result"), "result"),
          detailMap);
    } catch (GreyException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new AuditRecord(
        seq.asLong(), time, entry, hex(node.get("prev"), "prev"), hex(node.get("hash"), "hash"));
  }

  private static ObjectNode node(long seq, Instant time, AuditEntry entry, String prev) {
    ObjectNode node = JSON.createObjectNode();
    node.put("seq", seq);
    node.put("time", time.toString());
    node.put("actor", entry.actor());
    node.put("action", entry.action());
    node.put("store", entry.store());
    node.put("key", entry.key());
    node.put("result", entry.result());
    ObjectNode details = node.putObject("details");
    new TreeMap<>(entry.details()).forEach(details::put);
    node.put("prev", prev);
    return node;
  }

  private static byte[] render(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always renders", e);
    }
  }

  private static String text(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException(field + " is not a string");
    }
    return node.textValue();
  }

  private static String hex(JsonNode node, String field) {
    String value = text(node, field);
    if (!HEX_SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " is not 64 lower-case hex digits");
    }
    return value;
  }
}
