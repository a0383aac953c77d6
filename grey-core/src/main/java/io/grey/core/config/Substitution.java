package io.grey.core.config;

import io.grey.core.ConfigException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in config text with values from an environment map,
 * line by line so that line numbers in later errors stay those of the file. {@code $${} stands for a literal
 * {@code ${}. Text after a YAML comment marker ({@code #} at the start of a line or after a blank, outside
 * quotes) is copied unchanged, so comments may mention variables freely.
 */
final class Substitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Substitution() {}

  static String apply(String text, String source, Map<String, String> env) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      line(lines[i], source, i + 1, env, out);
    }
    return out.toString();
  }

  private static void line(String line, String source, int lineNo, Map<String, String> env, StringBuilder out) {
    char quote = 0;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        out.append(line, i, line.length());
        return;
      }
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (quote == '"' && c == '\\' && i + 1 < line.length()) {
        out.append(c).append(line.charAt(i + 1));
        i += 2;
        continue;
      } else if (c == quote) {
        quote = 0;
      }
      if (c == '$' && line.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (c == '$' && line.startsWith("${", i)) {
        int end = line.indexOf('}', i + 2);
        String where = source + ":" + lineNo + ":" + (i + 1);
        if (end < 0) {
          throw new ConfigException(where + ": unterminated '${' (write '$${' for a literal '${')");
        }
        out.append(resolve(line.substring(i + 2, end), where, env));
        i = end + 1;
        continue;
      }
      out.append(c);
      i++;
    }
  }

  private static String resolve(String expression, String where, Map<String, String> env) {
    int sep = expression.indexOf(":-");
    String name = sep < 0 ? expression : expression.substring(0, sep);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(where + ": '${" + expression + "}' is not a variable reference"
          + " (expected ${NAME} or ${NAME:-default}, NAME of letters, digits and '_')");
    }
    String value = env.get(name);
    if (value == null) {
      if (sep < 0) {
        throw new ConfigException(where + ": environment variable '" + name
            + "' is not set and has no default (write ${" + name + ":-default})");
      }
      value = expression.substring(sep + 2);
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      // A multi-line value would shift every later line number and could inject YAML structure.
      throw new ConfigException(where + ": value of environment variable '" + name + "' contains a line break");
    }
    return value;
  }
}
