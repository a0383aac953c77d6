package io.grey.server;

import io.grey.core.config.AuditConfig;
import io.grey.core.config.AuthConfig;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.LocalStorageConfig;
import io.grey.core.config.ServerConfig;
import io.grey.core.config.StorageConfig;
import io.grey.core.config.TokenConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Builds test configurations and talks to a running node over real sockets. */
final class TestNodes {
  static final String TOKEN_A = "token-for-acme-0123456789";
  static final String TOKEN_B = "token-for-globex-0123456789";
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * The {@code multi_cloud} and {@code cost} sections of a node serving from its local store and a second local
   * store {@code edge-a} under the data directory (formatted with that directory), artifacts replicated async and
   * probed every 200 ms, writes and reads priced so that a few requests cost something at once. A {@code budgets:}
   * list may follow, indented as a key of {@code cost}.
   */
  static final String TWO_LOCAL_STORES_PRICED = """
      multi_cloud:
        primary: local
        secondary: edge-a
        stores:
          edge-a: {backend: local, root: %s/edge-a}
        routing:
          health_check_interval: 200ms
        replication:
          artifacts: {strategy: async, lag_tolerance: 5m}
      cost:
        prices:
          - cloud: local
            storage_class: STANDARD
            write_per_1000: 5
            read_per_1000: 1
            source: test prices
            date: 2026-11-30
      """;

  private TestNodes() {}

  /**
   * As {@link #config(Path)}, with the module-owned sections (such as {@code cost:} and {@code multi_cloud:}) that
   * {@code yaml} writes, read by the config loader as a file in {@code dataDir} would be.
   */
  static GreyConfig config(Path dataDir, String yaml) {
    GreyConfig base = config(dataDir);
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dataDir).withServer(base.server()).withAuth(base.auth())
        .withStorage(base.storage()).withAudit(base.audit());
  }

  /** A node on an ephemeral loopback port under {@code dataDir}, with tokens for tenants acme and globex. */
  static GreyConfig config(Path dataDir) {
    return config(dataDir, List.of(new TokenConfig(TOKEN_A, "acme"), new TokenConfig(TOKEN_B, "globex")));
  }

  /** As {@link #config(Path)} with the given tokens (none: the node writes its own credentials file). */
  static GreyConfig config(Path dataDir, List<TokenConfig> tokens) {
    GreyConfig defaults = GreyConfig.defaults();
    return new GreyConfig(
        new ServerConfig("127.0.0.1", 0, dataDir, "", Duration.ofDays(7), Duration.ofHours(1)),
        new AuthConfig(tokens),
        new StorageConfig(new LocalStorageConfig(dataDir.resolve("objects"))),
        List.<LifecycleRuleConfig>of(),
        defaults.retry(),
        defaults.monitoring(),
        new AuditConfig(true, dataDir.resolve("audit.log")),
        "test");
  }

  static HttpRequest.Builder request(GreyServer node, String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(node.baseUri() + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> put(GreyServer node, String path, String token, String body, String... headers) {
    HttpRequest.Builder builder = request(node, path, token)
        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return send(builder.build());
  }

  static HttpResponse<String> get(GreyServer node, String path, String token, String... headers) {
    HttpRequest.Builder builder = request(node, path, token).GET();
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return send(builder.build());
  }

  /**
   * Sends {@code requestLine} and headers byte for byte over a socket, for paths that {@link URI} would refuse or
   * normalise; returns the whole response.
   */
  static String raw(GreyServer node, String method, String rawPath, String token) {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(10_000);
      String request = method + " " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + (method.equals("PUT") ? "Content-Length: 5\r\n" : "")
          + "Connection: close\r\n\r\n" + (method.equals("PUT") ? "hello" : "");
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The regular files under {@code dir}, recursively (empty if it does not exist). */
  static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
