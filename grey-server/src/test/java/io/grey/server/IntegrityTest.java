package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body corrupted on disk behind the store's back never reaches a client as a clean, complete response. */
class IntegrityTest {
  @TempDir Path dataDir;
  private GreyServer node;

  @BeforeEach
  void start() {
    node = GreyServer.start(TestNodes.config(dataDir));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  /** Stores {@code size} bytes starting with {@code marker}, then flips one byte of the file that holds them. */
  private byte[] storeAndCorrupt(String path, String marker, int size) throws IOException {
    byte[] body = new byte[size];
    new Random(42).nextBytes(body);
    byte[] mark = marker.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(mark, 0, body, 0, mark.length);
    HttpResponse<String> stored = TestNodes.send(TestNodes.request(node, path, TOKEN_A)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(stored.statusCode()).as("the artifact is stored").isEqualTo(200);
    List<Path> holders = TestNodes.files(dataDir.resolve("objects")).stream()
        .filter(file -> contains(file, mark)).toList();
    assertThat(holders).as("exactly one stored file holds the body").hasSize(1);
    byte[] stored2 = Files.readAllBytes(holders.get(0));
    int at = indexOf(stored2, mark) + size - 1;
    stored2[at] ^= 0x5a;
    Files.write(holders.get(0), stored2);
    return body;
  }

  @Test
  void largeCorruptedBodyAbortsTheTransfer() throws Exception {
    String path = "/v1/artifacts/acme/t1/big.bin";
    byte[] body = storeAndCorrupt(path, "GREY-INTEGRITY-LARGE-MARKER", 4 * 1024 * 1024);
    HttpResponse<byte[]> response;
    try {
      response = TestNodes.CLIENT.send(TestNodes.request(node, path, TOKEN_A).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException expected) {
      return;
    }
    assertThat(response.statusCode() == 200 && response.body().length == body.length)
        .as("a corrupted body must not arrive as a complete 200 (got %d with %d bytes)",
            response.statusCode(), response.body().length)
        .isFalse();
  }

  @Test
  void smallCorruptedBodyIs500IntegrityBeforeAnyByteIsSent() throws Exception {
    String path = "/v1/artifacts/acme/t1/small.bin";
    storeAndCorrupt(path, "GREY-INTEGRITY-SMALL-MARKER", 1000);
    HttpResponse<String> response = TestNodes.get(node, path, TOKEN_A);
    assertThat(response.statusCode()).as("the digest check fails before the response is committed").isEqualTo(500);
    assertThat(new ObjectMapper().readTree(response.body()).get("code").asText()).as("code")
        .isEqualTo("integrity_mismatch");
    assertThat(response.body()).as("no host path in the body").doesNotContain(dataDir.toString());
  }

  private static boolean contains(Path file, byte[] needle) {
    try {
      return indexOf(Files.readAllBytes(file), needle) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
