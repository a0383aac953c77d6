package io.grey.store.local;

import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of the two-process compare-and-swap test: after "GO" on stdin it increments a counter
 * object {@code args[2]} times by read, if-version write and retry, then prints "DONE increments retries".
 */
public final class CasCounterMain {
  private CasCounterMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    ObjectKey key = ObjectKey.of(args[1]);
    int increments = Integer.parseInt(args[2]);
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      return;
    }
    long retries = 0;
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      for (int i = 0; i < increments; i++) {
        while (true) {
          String version;
          long value;
          try (ObjectContent content = store.get(key)) {
            version = content.info().version();
            value = Long.parseLong(new String(content.readAllBytes(), StandardCharsets.UTF_8));
          }
          byte[] next = Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
          try {
            store.put(key, new ByteArrayInputStream(next),
                PutOptions.ofLength(next.length).withCondition(WriteCondition.ifVersion(version)));
            break;
          } catch (PreconditionFailedException lost) {
            retries++;
          }
        }
      }
    }
    System.out.println("DONE " + increments + " " + retries);
    System.out.flush();
  }
}
