package io.grey.store.local;

import io.grey.core.ObjectKey;
import io.grey.core.store.PutOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of the crash test: after "GO" on stdin it writes deterministic bodies over 50 keys in an
 * endless loop and prints "ACK key seq" after each put returns, until it is killed.
 */
public final class CrashWriterMain {
  static final int KEYS = 50;
  static final int MAX_FILLER = 2 * 1024 * 1024;

  private CrashWriterMain() {}

  static String key(int i) {
    return "crash/key-" + i;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    long seq = Long.parseLong(args[1]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      // Load and warm the write path first, so that the kill lands among the crash keys' puts.
      CrashBody warmup = new CrashBody("warmup", seq, 64 * 1024);
      store.put(ObjectKey.of("warmup/" + seq), warmup, PutOptions.ofLength(warmup.length()));
      out.println("READY");
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"GO".equals(in.readLine())) {
        return;
      }
      while (true) {
        seq++;
        String key = key(random.nextInt(KEYS));
        // Mostly small bodies, a quarter up to 2 MiB, so kills land in every phase of a put.
        long filler = random.nextInt(4) == 0 ? 1 + random.nextInt(MAX_FILLER) : 1 + random.nextInt(8192);
        CrashBody body = new CrashBody(key, seq, filler);
        store.put(ObjectKey.of(key), body, PutOptions.ofLength(body.length()));
        out.println("ACK " + key + " " + seq);
        out.flush();
      }
    }
  }
}
