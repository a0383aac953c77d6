package io.grey.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grey.core.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree whose every node remembers where it was written, so that the loader can
 * name the line and column of a bad key or value. Built with Jackson's streaming YAML parser.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  /** Where a node starts in the source text. */
  record Location(String source, int line, int column) {
    static Location of(String source, JsonLocation location) {
      return new Location(source, Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    @Override
    public String toString() {
      return source + ":" + line + ":" + column;
    }
  }

  sealed interface Node {
    Location location();
  }

  /** One key of a mapping: where the key itself is written, and its value. */
  record Entry(Location keyLocation, Node value) {}

  record MapNode(Map<String, Entry> entries, Location location) implements Node {}

  record ListNode(List<Node> items, Location location) implements Node {}

  /** A scalar; {@code text} is empty and {@code isNull} true for an empty value or {@code ~}. */
  record Scalar(String text, boolean isNull, Location location) implements Node {}

  private YamlTree() {}

  /** Parses {@code yaml}; an empty document yields an empty mapping. */
  static Node parse(String yaml, String source) {
    try (JsonParser parser = FACTORY.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new MapNode(Map.of(), new Location(source, 1, 1));
      }
      Node root = read(parser, source);
      if (parser.nextToken() != null) {
        throw new ConfigException(
            here(parser, source) + ": only one YAML document is allowed in a Grey config file");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source : Location.of(source, at).toString();
      throw new ConfigException(where + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static Node read(JsonParser parser, String source) throws IOException {
    Location at = here(parser, source);
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          Location keyAt = here(parser, source);
          parser.nextToken();
          Node value = read(parser, source);
          if (entries.putIfAbsent(name, new Entry(keyAt, value)) != null) {
            throw new ConfigException(keyAt + ": duplicate key '" + name + "' (first at line "
                + entries.get(name).keyLocation().line() + ")");
          }
        }
        return new MapNode(entries, at);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, source));
        }
        return new ListNode(items, at);
      }
      case VALUE_NULL -> {
        return new Scalar("", true, at);
      }
      default -> {
        if (!token.isScalarValue()) {
          throw new ConfigException(at + ": unexpected YAML token " + token);
        }
        return new Scalar(parser.getText(), false, at);
      }
    }
  }

  private static Location here(JsonParser parser, String source) {
    return Location.of(source, parser.currentTokenLocation());
  }
}
