package io.grey.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the programs some tests drive (promtool, chromium, chromedriver) and, when one is missing on a machine
 * where apt-get can be used (running as root), installs its Debian package. Where neither works the test fails
 * with a message naming the package, never skips.
 */
final class DebianTools {
  private static final List<String> PATH_DIRS = List.of("/usr/bin", "/usr/local/bin", "/bin", "/usr/lib/chromium");

  private DebianTools() {}

  /** The result of a finished process. */
  record Run(int exitCode, String output) {}

  /**
   * The path of {@code program}, installing Debian package {@code debianPackage} first when it is missing.
   *
   * @throws AssertionError if it is missing and cannot be installed
   */
  static synchronized Path require(String program, String debianPackage) {
    Optional<Path> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    Optional<Path> aptGet = find("apt-get");
    if (aptGet.isEmpty() || !"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError(program + " is missing: install the Debian package '" + debianPackage
          + "' (apt-get install -y " + debianPackage + ") to run this test; apt-get is "
          + (aptGet.isEmpty() ? "not available here" : "only usable as root"));
    }
    List<String> install = List.of(aptGet.get().toString(), "-o", "DPkg::Lock::Timeout=600", "install", "-y",
        "--no-install-recommends", debianPackage);
    Run first = run(install, 900);
    if (first.exitCode() != 0) {
      // A fresh machine may not have package lists yet.
      run(List.of(aptGet.get().toString(), "-o", "DPkg::Lock::Timeout=600", "update"), 600);
      Run second = run(install, 900);
      if (second.exitCode() != 0) {
        throw new AssertionError("apt-get install " + debianPackage + " failed (exit " + second.exitCode()
            + "), so " + program + " is missing:\n" + second.output());
      }
    }
    return find(program).orElseThrow(() -> new AssertionError(
        "apt-get installed " + debianPackage + " but " + program + " is still not on the PATH"));
  }

  /** Runs {@code command} to completion (stderr merged into the output), failing if it outlives the timeout. */
  static Run run(List<String> command, long timeoutSeconds) {
    return run(command, null, timeoutSeconds);
  }

  /** As {@link #run(List, long)}, in {@code directory}. */
  static Run run(List<String> command, Path directory, long timeoutSeconds) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Path log;
    try {
      log = Files.createTempFile("grey-tool", ".log");
      builder.redirectOutput(log.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static Optional<Path> find(String program) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(PATH_DIRS);
    return dirs.stream().filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable).findFirst();
  }
}
