package io.grey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --output} option of read commands and the printing of tables and JSON documents. */
final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format = OutputFormat.TABLE;

  boolean json() {
    return format == OutputFormat.JSON;
  }

  /** Prints {@code document} as one pretty-printed JSON document and a newline. */
  static void printJson(PrintStream out, JsonNode document) {
    try {
      out.println(GreyClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(new IOException("cannot render JSON: " + e.getOriginalMessage(), e));
    }
  }

  /** Prints {@code rows} (the first is the header) as left-aligned columns separated by two spaces. */
  static void printTable(PrintStream out, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        int length = row.get(i).length();
        if (i == widths.size()) {
          widths.add(length);
        } else if (length > widths.get(i)) {
          widths.set(i, length);
        }
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths.get(i) - row.get(i).length() + 2));
        }
      }
      out.println(line);
    }
    out.flush();
  }
}
