package io.grey.core.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.InvalidRequestException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A proof as stored: the claim, the task, when it was signed, by which key, and the signature. Its JSON form
 * has exactly the fields {@code id, task_id, platform, measurement, timestamp, key_id, signature}, in that order.
 * Verify it with {@link Proofs#verify}; the record itself only checks that no field is missing.
 *
 * @param id the first 32 hex characters of the SHA-256 of the signed bytes (see {@link Proofs})
 * @param taskId the task the proof is about
 * @param platform the claimed platform
 * @param measurement the claimed measurement
 * @param timestamp when the proof was signed, in epoch seconds
 * @param keyId the id of the signing key, see {@link NodeKey#keyIdOf}
 * @param signature the base64 Ed25519 signature of the signed bytes
 */
public record SignedProof(String id, String taskId, String platform, String measurement, long timestamp,
                          String keyId, String signature) {
  // A proof with a field given twice or with trailing text is ambiguous, so it is refused rather than guessed.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final List<String> FIELDS =
      List.of("id", "task_id", "platform", "measurement", "timestamp", "key_id", "signature");

  public SignedProof {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
  }

  /** The JSON object of this proof, on one line. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("task_id", taskId);
    node.put("platform", platform);
    node.put("measurement", measurement);
    node.put("timestamp", timestamp);
    node.put("key_id", keyId);
    node.put("signature", signature);
    return node.toString();
  }

  /**
   * Reads a proof's JSON.
   *
   * @throws InvalidRequestException if it is not a JSON object with exactly the proof's fields and types
   */
  public static SignedProof fromJson(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("proof is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("proof must be a JSON object");
    }
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    if (!names.equals(new TreeSet<>(FIELDS))) {
      throw new InvalidRequestException("proof must have exactly the fields " + FIELDS + ", got " + names);
    }
    JsonNode ts = node.get("timestamp");
    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw new InvalidRequestException("proof timestamp must be an integer of epoch seconds, got " + ts);
    }
    return new SignedProof(text(node, "id"), text(node, "task_id"), text(node, "platform"),
        text(node, "measurement"), ts.longValue(), text(node, "key_id"), text(node, "signature"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      throw new InvalidRequestException("proof " + field + " must be a string, got " + value);
    }
    return value.textValue();
  }
}
