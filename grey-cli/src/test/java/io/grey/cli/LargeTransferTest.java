package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfers above the progress-bar threshold, through a real server. */
class LargeTransferTest {
  @TempDir
  static Path serverDir;

  private static TestServer server;

  @TempDir
  Path work;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(serverDir.resolve("data"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twentyMebibyteRoundTripWithForcedProgress() throws IOException {
    byte[] chunk = new byte[1024 * 1024];
    new Random(42).nextBytes(chunk);
    Path big = work.resolve("big.bin");
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 20; i++) {
        chunk[0] = (byte) i;
        out.write(chunk);
      }
    }
    Cli.Result put = Cli.run(server.args("artifact", "put", "default/big/big.bin", big.toString(), "--progress"));
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.err()).as("a progress bar was drawn on stderr").contains("put big.bin").contains("MiB");

    Path copy = work.resolve("big.copy");
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/big/big.bin", copy.toString(), "--progress"));
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.err()).as("a progress bar was drawn on stderr").contains("get big.bin").contains("MiB");
    assertThat(Files.mismatch(big, copy)).as("the 20 MiB came back byte for byte").isEqualTo(-1L);
  }

  @Test
  void noProgressBarWhenStderrIsNotATerminal() throws IOException {
    byte[] bytes = new byte[9 * 1024 * 1024];
    Path big = Files.write(work.resolve("nine.bin"), bytes);
    Cli.Result put = Cli.run(server.args("artifact", "put", "default/big/nine.bin", big.toString()));
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.err()).as("no bar without a terminal or --progress").isEmpty();
  }


  @Test
  void terminalShowsTheBarWithoutBeingAsked() throws IOException {
    Path big = Files.write(work.resolve("nine.bin"), new byte[9 * 1024 * 1024]);
    Cli.Result put = Cli.run(Map.of(), new byte[0], true,
        server.args("artifact", "put", "default/big/tty.bin", big.toString()));
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.err()).as("a terminal gets a bar for 9 MiB").contains("put tty.bin").contains("MiB");
  }

  @Test
  void quietSilencesTheBarEvenOnATerminal() throws IOException {
    Path big = Files.write(work.resolve("nine.bin"), new byte[9 * 1024 * 1024]);
    Cli.Result put = Cli.run(Map.of(), new byte[0], true,
        server.args("artifact", "put", "default/big/quiet.bin", big.toString(), "--quiet"));
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.err()).as("--quiet draws nothing").isEmpty();
  }

  @Test
  void smallTransfersDrawNoBarOnATerminal() throws IOException {
    Path small = Files.write(work.resolve("small.bin"), new byte[1024]);
    Cli.Result put = Cli.run(Map.of(), new byte[0], true,
        server.args("artifact", "put", "default/big/small.bin", small.toString()));
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.err()).as("1 KiB is below the 8 MiB threshold").isEmpty();
  }
}
