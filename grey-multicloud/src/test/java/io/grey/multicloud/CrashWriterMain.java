package io.grey.multicloud;

import io.grey.core.ObjectKey;
import io.grey.core.store.PutOptions;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of the crash test: opens a multi-cloud store over three local stores with async replication
 * (replaying what a killed predecessor left in the outbox), and after "GO" on stdin makes the puts of its run,
 * printing "ACK key version" after each put returns, then waits to be killed.
 */
public final class CrashWriterMain {
  static final List<String> NAMES = List.of("local", "edge-a", "edge-b");

  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path scratch = Path.of(args[0]);
    int run = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    MultiCloudStore multi = LocalStores.multi(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC),
        LocalStores.open(scratch, NAMES), scratch.resolve("data"));
    out.println("READY");
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      return;
    }
    for (int i = 0; i < CrashBodies.KEYS_PER_RUN; i++) {
      ObjectKey key = CrashBodies.key(run, i);
      byte[] body = CrashBodies.body(key, CrashBodies.version(i));
      multi.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      out.println("ACK " + key + " " + CrashBodies.version(i));
      out.flush();
    }
    out.println("DONE");
    out.flush();
    in.readLine();
  }
}
