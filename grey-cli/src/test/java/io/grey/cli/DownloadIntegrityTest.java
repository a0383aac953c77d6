package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grey.core.store.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection at the HTTP boundary: a server that sends other bytes than the digest it announces, or fewer
 * bytes than it promised, to check that {@code grey artifact get} refuses them and leaves no file behind.
 */
class DownloadIntegrityTest {
  private static final byte[] SENT = "the bytes that arrive".getBytes(StandardCharsets.UTF_8);
  private static final String ANNOUNCED = Digests.sha256Hex("the bytes that were stored".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path work;

  private HttpServer server;

  @BeforeEach
  void startLyingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/artifacts/default/t1/wrong.bin", exchange -> {
      exchange.getResponseHeaders().add("X-Grey-Sha256", ANNOUNCED);
      exchange.getResponseHeaders().add("ETag", "\"v1\"");
      exchange.sendResponseHeaders(200, SENT.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(SENT);
      }
    });
    server.createContext("/v1/artifacts/default/t1/short.bin", exchange -> {
      exchange.getResponseHeaders().add("X-Grey-Sha256", Digests.sha256Hex(SENT));
      exchange.sendResponseHeaders(200, SENT.length * 2L);
      OutputStream out = exchange.getResponseBody();
      out.write(SENT);
      out.flush();
      // Cut the connection half-way, as a failing server does.
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void digestMismatchExitsIntegrityAndLeavesNoFile() throws IOException {
    Path target = work.resolve("wrong.bin");
    Cli.Result get = Cli.run("artifact", "get", "default/t1/wrong.bin", target.toString(), "--server", url(),
        "--token", "t");
    assertThat(get.exit()).as("%s", get).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(get.err()).startsWith("grey: integrity mismatch").contains(ANNOUNCED);
    try (var files = Files.list(work)) {
      assertThat(files.toList()).as("neither the target nor a temporary file is left").isEmpty();
    }
  }

  @Test
  void digestMismatchOnStdoutStillExitsIntegrity() {
    Cli.Result get = Cli.run("artifact", "get", "default/t1/wrong.bin", "-", "--server", url(), "--token", "t");
    assertThat(get.exit()).as("%s", get).isEqualTo(ExitCodes.INTEGRITY);
  }

  @Test
  void truncatedDownloadLeavesNoFile() throws IOException {
    Path target = work.resolve("short.bin");
    Cli.Result get = Cli.run("artifact", "get", "default/t1/short.bin", target.toString(), "--server", url(),
        "--token", "t");
    assertThat(get.exit()).as("%s", get).isEqualTo(ExitCodes.UNAVAILABLE);
    try (var files = Files.list(work)) {
      assertThat(files.toList()).as("a broken download leaves nothing under any name").isEmpty();
    }
  }
}
