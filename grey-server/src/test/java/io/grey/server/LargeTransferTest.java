package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB artifact goes up and comes back down through a node whose JVM has a 256 MiB heap: the body streams in
 * constant memory both ways and its SHA-256 survives the trip.
 */
@Tag("large")
class LargeTransferTest {
  private static final long SIZE = 2L * 1024 * 1024 * 1024;
  private static final int BLOCK = 64 * 1024;

  @TempDir Path dataDir;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void twoGibStreamUpAndDownThroughA256MibHeap() throws Exception {
    Process child = startChild();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int port = port(out, child);
      String url = "http://127.0.0.1:" + port + "/v1/artifacts/acme/big-1/blob.bin";
      long started = System.nanoTime();

      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      HttpRequest upload = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + TestNodes.TOKEN_A)
          .timeout(Duration.ofMinutes(3))
          .PUT(HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(() -> new DigestInputStream(new GeneratedBody(SIZE), sent)),
              SIZE))
          .build();
      HttpResponse<String> stored = TestNodes.CLIENT.send(upload, HttpResponse.BodyHandlers.ofString());
      String sentHex = HexFormat.of().formatHex(sent.digest());
      long uploaded = System.nanoTime();
      assertThat(stored.statusCode()).as("the 2 GiB PUT is stored: %s", stored.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(stored.body()).get("sha256").asText())
          .as("the node computed the same SHA-256 as the sender").isEqualTo(sentHex);

      HttpRequest download = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + TestNodes.TOKEN_A)
          .timeout(Duration.ofMinutes(3))
          .GET().build();
      HttpResponse<InputStream> read = TestNodes.CLIENT.send(download, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(read.statusCode()).as("the 2 GiB GET").isEqualTo(200);
      assertThat(read.headers().firstValueAsLong("Content-Length")).as("GET announces the size").hasValue(SIZE);
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream body = new DigestInputStream(read.body(), received)) {
        byte[] buffer = new byte[BLOCK];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          count += n;
        }
      }
      long downloaded = System.nanoTime();
      assertThat(count).as("every byte came back").isEqualTo(SIZE);
      assertThat(HexFormat.of().formatHex(received.digest())).as("the bytes that came back are the bytes sent")
          .isEqualTo(sentHex);
      assertThat(child.isAlive()).as("the 256 MiB node survived both transfers").isTrue();
      System.out.printf("2 GiB upload %.1f s, download %.1f s, node peak RSS %s%n",
          (uploaded - started) / 1e9, (downloaded - uploaded) / 1e9, peakRss(child));
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  private Process startChild() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TestServerMain.class.getName());
    command.add(dataDir.resolve("node").toString());
    return new ProcessBuilder(command)
        .redirectError(dataDir.resolve("node.log").toFile())
        .start();
  }

  private int port(BufferedReader out, Process child) throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(TestServerMain.PORT_LINE)) {
        return Integer.parseInt(line.substring(TestServerMain.PORT_LINE.length()).trim());
      }
    }
    throw new IllegalStateException("the node exited (" + child.isAlive() + ") before serving: "
        + Files.readString(dataDir.resolve("node.log")));
  }

  /** The child's peak resident set (VmHWM) from /proc, or "unknown" off Linux. */
  private static String peakRss(Process child) {
    try {
      return Files.readAllLines(Path.of("/proc/" + child.pid() + "/status")).stream()
          .filter(line -> line.startsWith("VmHWM:"))
          .map(line -> line.substring("VmHWM:".length()).trim())
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** {@code size} bytes of a 64 KiB random block, each copy stamped with its index: cheap, not repetitive. */
  private static final class GeneratedBody extends InputStream {
    private final byte[] block = new byte[BLOCK];
    private final long size;
    private long position;

    GeneratedBody(long size) {
      this.size = size;
      new SplittableRandom(7).nextBytes(block);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int inBlock = (int) (position % BLOCK);
      int n = (int) Math.min(Math.min(length, BLOCK - inBlock), size - position);
      System.arraycopy(block, inBlock, buffer, offset, n);
      long index = position / BLOCK;
      // Stamp the block index over the first 8 bytes of each block so no two blocks are equal.
      for (int i = 0; i < n && inBlock + i < 8; i++) {
        buffer[offset + i] ^= (byte) (index >>> (8 * (inBlock + i)));
      }
      position += n;
      return n;
    }
  }
}
