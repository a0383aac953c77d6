package io.grey.bench;

import io.grey.core.config.AuditConfig;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LocalStorageConfig;
import io.grey.core.config.ServerConfig;
import io.grey.core.config.StorageConfig;
import io.grey.server.GreyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Grey's HTTP server over the local store, exercised on loopback by the JDK's blocking HttpURLConnection (with
 * keep-alive): the path a client of Grey pays for (HTTP framing, auth, the layer stack with metrics, retry,
 * tracing and the audit log). The blocking client is used because the JDK's java.net.http client alone costs
 * more than the server when streaming a 64 MiB body into an InputStream.
 */
final class ServerContender implements Contender {
  private final GreyServer server;
  private final String token;

  private ServerContender(GreyServer server, String token) {
    this.server = server;
    this.token = token;
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
    HttpURLConnection connection = (HttpURLConnection) uri(name).toURL().openConnection();
    connection.setRequestMethod("PUT");
    connection.setRequestProperty("Authorization", "Bearer " + token);
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(payload.length);
    try (OutputStream body = connection.getOutputStream()) {
      body.write(payload);
    }
    int status = connection.getResponseCode();
    try (InputStream reply = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      String text = reply == null ? "" : new String(reply.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (status != 200) {
        throw new IllegalStateException("server put " + name + ": HTTP " + status + " " + text);
      }
    }
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) uri(name).toURL().openConnection();
    connection.setRequestProperty("Authorization", "Bearer " + token);
    int status = connection.getResponseCode();
    if (status != 200) {
      throw new IllegalStateException("server get " + name + ": HTTP " + status);
    }
    try (InputStream in = connection.getInputStream()) {
      return in.transferTo(sink);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
