package io.grey.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of {@code grey} talks to: standard streams, environment variables and whether stderr is a
 * terminal (which decides if progress bars are drawn). Tests pass their own; {@link #system()} is the real one.
 *
 * @param in standard input, for {@code artifact put NAME -}
 * @param out standard output: results, and object bytes for {@code artifact get NAME -}
 * @param err standard error: error lines and progress bars
 * @param variables the environment ({@code GREY_SERVER}, {@code GREY_TOKEN})
 * @param stderrIsTerminal whether stderr is an interactive terminal
 */
public record CliEnvironment(
    InputStream in, PrintStream out, PrintStream err, Map<String, String> variables, boolean stderrIsTerminal) {

  public CliEnvironment {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    variables = Map.copyOf(variables);
  }

  /** The process's own streams and environment. */
  public static CliEnvironment system() {
    return new CliEnvironment(System.in, System.out, System.err, System.getenv(), stderrIsTty());
  }

  /** The value of environment variable {@code name}, if set and not blank. */
  public Optional<String> variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static boolean stderrIsTty() {
    // The launcher knows for sure (bash's `-t 2`); without it, ask Linux where fd 2 points.
    String fromLauncher = System.getenv("GREY_STDERR_TTY");
    if (fromLauncher != null) {
      return fromLauncher.equals("1");
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }
}
