package io.grey.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of the test sources, with its stdout read line by line on a virtual thread
 * (so the child never blocks on a full pipe) and its stderr kept in a file for diagnostics.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Thread reader;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The child was killed mid-line; what was read so far stands.
      }
    });
  }

  /**
   * Starts {@code main} in a JVM with this JVM's class path, a 256 MiB heap and the serial collector, its stderr
   * going to the file {@code stderr}.
   */
  public static ChildJvm start(Class<?> main, Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx256m", main.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildJvm(process, stderr);
  }

  /** The next line the child printed, waiting at most {@code timeoutMillis}; empty string on timeout. */
  public String nextLine(long timeoutMillis) throws InterruptedException {
    String line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    return line == null ? "" : line;
  }

  /** Writes {@code line} and a newline to the child's stdin. */
  public void send(String line) throws IOException {
    Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    w.write(line + "\n");
    w.flush();
  }

  /** The child's process. */
  public Process process() {
    return process;
  }

  /** SIGKILLs the child and returns every line it printed that was not consumed yet. */
  public List<String> kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join();
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    return rest;
  }

  /** Waits for a normal exit and returns the lines printed since the last read. */
  public List<String> awaitExit(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError("child did not finish within " + timeoutSeconds + " s; stderr: " + stderrText());
    }
    reader.join();
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    return rest;
  }

  /** What the child wrote to stderr so far. */
  public String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  /** Kills the child if it still runs and waits for it. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
