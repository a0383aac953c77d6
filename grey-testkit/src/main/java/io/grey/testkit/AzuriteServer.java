package io.grey.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Azurite blob service in a child process, for tests and benchmarks: installed once per checkout into
 * {@code <repo>/.build-tools/azurite} (npm, under a file lock so parallel JVMs do not race), started on a free
 * port, stopped with its whole process tree. Uses Azurite's published development account. Thread-safe; each
 * instance owns one Azurite process.
 */
public final class AzuriteServer implements AutoCloseable {
  /** Azurite's well-known development account. */
  public static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's published development key (not a secret; valid only against Azurite). */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final String VERSION = "3.37.0";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final int port;

  private AzuriteServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Azurite keeping everything in the node process's memory. */
  public static AzuriteServer start() {
    return start(null);
  }

  /** Starts Azurite keeping blobs on disk under {@code location}, or in memory when it is null. */
  public static AzuriteServer start(Path location) {
    Path bin = install();
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(bin.toString(), "--blobHost", "127.0.0.1",
        "--blobPort", Integer.toString(port), "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--loose"));
    if (location == null) {
      command.add("--inMemoryPersistence");
    } else {
      command.addAll(List.of("--location", location.toString()));
    }
    try {
      Path log = Files.createTempFile("azurite-", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      AzuriteServer server = new AzuriteServer(process, port);
      try {
        await("Azurite accepting connections on port " + port + " (log " + log + ")").atMost(START_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + ": "
                    + Files.readString(log));
              }
              return accepts(port);
            });
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Azurite", e);
    }
  }

  /** The port Azurite listens on. */
  public int port() {
    return port;
  }

  /** The blob endpoint of the development account. */
  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /** Stops Azurite and every process it started, and waits until they are gone. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  private static Path install() {
    Path root = repositoryRoot();
    Path tools = root.resolve(".build-tools");
    Path prefix = tools.resolve("azurite");
    Path bin = prefix.resolve("node_modules/.bin/azurite-blob");
    try {
      Files.createDirectories(tools);
      try (FileChannel lockFile = FileChannel.open(tools.resolve("azurite.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
        if (!Files.isExecutable(bin)) {
          Process npm = new ProcessBuilder("npm", "install", "--prefix", prefix.toString(), "azurite@" + VERSION,
              "--no-audit", "--no-fund").redirectErrorStream(true)
              .redirectOutput(tools.resolve("azurite-install.log").toFile()).start();
          if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install azurite@" + VERSION + " failed; see "
                + tools.resolve("azurite-install.log"));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install Azurite into " + prefix, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Azurite", e);
    }
    return bin;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("grey-core"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no Grey checkout above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
