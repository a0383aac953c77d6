package io.grey.bench;

import io.grey.core.config.AuditConfig;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LocalStorageConfig;
import io.grey.core.config.ServerConfig;
import io.grey.core.config.StorageConfig;
import io.grey.server.GreyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Grey's HTTP server over the local store, exercised by a plain JDK HTTP client on loopback: the path a client
 * of Grey pays for (HTTP framing, auth, the layer stack with metrics, retry, tracing and the audit log).
 */
final class ServerContender implements Contender {
  private final GreyServer server;
  private final HttpClient http;
  private final String token;

  private ServerContender(GreyServer server, String token) {
    this.server = server;
    this.token = token;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  static ServerContender start(Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    GreyConfig defaults = GreyConfig.defaults();
    ServerConfig s = defaults.server();
    GreyConfig config = defaults
        .withServer(new ServerConfig("127.0.0.1", 0, dataDir, "", s.maxPresignTtl(), s.lifecycleSweepInterval()))
        .withStorage(new StorageConfig(new LocalStorageConfig(dataDir.resolve("objects"))))
        .withAudit(new AuditConfig(true, dataDir.resolve("audit.log")));
    GreyServer server = GreyServer.start(config);
    String token = Files.readAllLines(dataDir.resolve("credentials")).stream()
        .filter(l -> l.startsWith("token="))
        .map(l -> l.substring("token=".length()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no token in " + dataDir.resolve("credentials")));
    return new ServerContender(server, token);
  }

  @Override
  public String label() {
    return "server";
  }

  private URI uri(String name) {
    return server.baseUri().resolve("/v1/artifacts/default/bench/" + name);
  }

  @Override
  public void put(String name, byte[] payload) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(name))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofMinutes(2))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(payload))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new IllegalStateException("server put " + name + ": HTTP " + response.statusCode() + " " + response.body());
    }
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(name))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofMinutes(2))
        .GET()
        .build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("server get " + name + ": HTTP " + response.statusCode());
      }
      return in.transferTo(sink);
    }
  }

  @Override
  public void close() {
    server.close();
    http.close();
  }
}
