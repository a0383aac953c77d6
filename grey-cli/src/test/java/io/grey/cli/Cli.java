package io.grey.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code grey} in-process with captured streams. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Result(int exit, byte[] stdout, String err) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout ---\n" + (stdout.length > 4096 ? stdout.length + " bytes" : out())
          + "\n--- stderr ---\n" + err;
    }
  }

  static Result run(String... args) {
    return run(Map.of(), new byte[0], false, args);
  }

  static Result run(Map<String, String> env, String... args) {
    return run(env, new byte[0], false, args);
  }

  static Result runWithStdin(InputStream stdin, String... args) {
    return run(Map.of(), stdin, false, args);
  }

  static Result run(Map<String, String> env, byte[] stdin, boolean terminal, String... args) {
    return run(env, new ByteArrayInputStream(stdin), terminal, args);
  }

  static Result run(Map<String, String> env, InputStream stdin, boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exit = new GreyCli(new CliEnvironment(stdin, o, e, env, terminal)).run(args);
      o.flush();
      e.flush();
      return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
  }
}
