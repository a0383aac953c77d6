package io.grey.core.layer;

import java.time.Duration;

/** Waits for a duration; injected into retrying code so that tests record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks the calling thread for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep(Duration)}, which parks a virtual thread without pinning it. */
  static Sleeper system() {
    return Thread::sleep;
  }
}
