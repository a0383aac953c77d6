package io.grey.core.context;

import io.grey.core.InvalidRequestException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who is making the current call: the actor that audit entries and traces name. The actor is bound to the
 * current thread for the duration of a body and the previous actor is restored afterwards, so calls nest.
 *
 * <p>The binding is per thread (virtual or platform) and is not inherited: work handed to another thread must
 * be wrapped in its own {@link #callAs} with {@link #actor()} captured beforehand. Outside any binding the actor
 * is {@value #DEFAULT_ACTOR}.
 */
public final class CallContext {
  /** The actor of calls made outside any {@link #callAs}/{@link #runAs}. */
  public static final String DEFAULT_ACTOR = "local";

  /** Actors are names, not payloads: long enough for a service-account e-mail or an OIDC subject. */
  public static final int MAX_ACTOR_LENGTH = 256;

  // A plain ThreadLocal rather than an InheritableThreadLocal: inheritance would leak one request's identity
  // into threads that outlive it.
  private static final ThreadLocal<String> ACTOR = new ThreadLocal<>();

  private CallContext() {}

  /**
   * Runs {@code body} with {@code actor} as the current actor and returns its result; the previous actor is
   * restored afterwards, also when {@code body} throws.
   *
   * @throws InvalidRequestException if {@code actor} is blank, longer than 256 characters or has control
   *     characters; {@code body} is then not run
   */
  public static <T> T callAs(String actor, Supplier<T> body) {
    validate(actor);
    Objects.requireNonNull(body, "body");
    String previous = ACTOR.get();
    ACTOR.set(actor);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        ACTOR.remove();
      } else {
        ACTOR.set(previous);
      }
    }
  }

  /**
   * Runs {@code body} with {@code actor} as the current actor; the previous actor is restored afterwards, also
   * when {@code body} throws.
   *
   * @throws InvalidRequestException if {@code actor} is not a valid actor name; {@code body} is then not run
   */
  public static void runAs(String actor, Runnable body) {
    Objects.requireNonNull(body, "body");
    callAs(actor, () -> {
      body.run();
      return null;
    });
  }

  /** The actor bound to the current thread, or {@value #DEFAULT_ACTOR} when none is. */
  public static String actor() {
    String actor = ACTOR.get();
    return actor == null ? DEFAULT_ACTOR : actor;
  }

  private static void validate(String actor) {
    if (actor == null || actor.isBlank()) {
      throw new InvalidRequestException("actor must not be blank");
    }
    if (actor.length() > MAX_ACTOR_LENGTH) {
      throw new InvalidRequestException(
          "actor is " + actor.length() + " characters; at most " + MAX_ACTOR_LENGTH + " allowed");
    }
    for (int i = 0; i < actor.length(); i++) {
      char c = actor.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new InvalidRequestException(
            "actor must not contain control characters (found U+%04X at index %d)".formatted((int) c, i));
      }
    }
  }
}
