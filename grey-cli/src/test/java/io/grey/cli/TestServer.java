package io.grey.cli;

import io.grey.core.config.GreyConfig;
import io.grey.server.GreyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real Grey server on an ephemeral port over a temporary data directory, with its generated credentials. */
final class TestServer implements AutoCloseable {
  final Path dataDir;
  final GreyServer server;

  private TestServer(Path dataDir, GreyServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  static TestServer start(Path dataDir) {
    return start(dataDir, UnaryOperator.identity());
  }

  /** As {@link #start(Path)}, with the configuration changed by {@code adjust} first. */
  static TestServer start(Path dataDir, UnaryOperator<GreyConfig> adjust) {
    GreyConfig config = ConfigOptions.withListen(
        ConfigOptions.withDataDir(GreyConfig.defaults(), dataDir), "127.0.0.1", 0);
    return new TestServer(dataDir, GreyServer.start(adjust.apply(config)));
  }

  String url() {
    String base = server.baseUri().toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  String token() throws IOException {
    for (String line : Files.readAllLines(dataDir.resolve("credentials"))) {
      if (line.startsWith("token=")) {
        return line.substring("token=".length()).strip();
      }
    }
    throw new IllegalStateException("no token= line in " + dataDir.resolve("credentials"));
  }

  /** {@code args} with --server and --token of this server appended. */
  String[] args(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server");
    all.add(url());
    all.add("--token");
    all.add(token());
    return all.toArray(String[]::new);
  }

  @Override
  public void close() {
    server.close();
  }
}
