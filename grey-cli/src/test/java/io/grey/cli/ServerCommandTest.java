package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code grey server} as a real process, the way the launcher does, and stops it with SIGTERM. */
class ServerCommandTest {
  @TempDir
  Path work;

  @Test
  @Timeout(60)
  void serverPrintsItsUrlServesAndStopsOnSigterm() throws Exception {
    Path data = work.resolve("data");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), GreyCli.class.getName(),
        "server", "--port", "0", "--data-dir", data.toString())
        .redirectError(work.resolve("stderr.txt").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(45, TimeUnit.SECONDS);
      assertThat(line).as("the one line names URL and credentials file; stderr: %s",
          Files.exists(work.resolve("stderr.txt")) ? Files.readString(work.resolve("stderr.txt")) : "")
          .startsWith("grey server listening on http://127.0.0.1:")
          .contains(data.resolve("credentials").toString());
      Matcher url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)").matcher(line);
      assertThat(url.find()).isTrue();
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url.group(1) + "/healthz")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("the server answers").isEqualTo(200);
      assertThat(Files.exists(data.resolve("credentials"))).as("credentials were written").isTrue();

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM stops the server").isTrue();
    } finally {
      process.destroyForcibly();
    }
  }
}
