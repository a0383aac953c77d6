package io.grey.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts a node for a test that runs it in a child JVM: {@code TestServerMain <dataDir>} prints
 * {@code GREY-PORT <port>} on stdout once it serves, and stops when its stdin closes (so it never outlives the
 * test that started it).
 */
public final class TestServerMain {
  static final String PORT_LINE = "GREY-PORT ";

  private TestServerMain() {}

  public static void main(String[] args) throws IOException {
    try (GreyServer node = GreyServer.start(TestNodes.config(Path.of(args[0])))) {
      System.out.println(PORT_LINE + node.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Drains stdin until the parent closes it or dies.
      }
    }
  }
}
