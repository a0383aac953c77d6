package io.grey.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallContextTest {

  @Test
  void theActorIsLocalOutsideAnyBinding() {
    assertThat(CallContext.actor()).as("default actor").isEqualTo("local");
  }

  @Test
  void callAsBindsTheActorForTheBodyAndReturnsItsResult() {
    String seen = CallContext.callAs("alice", CallContext::actor);

    assertThat(seen).as("actor inside the body").isEqualTo("alice");
    assertThat(CallContext.actor()).as("actor after the body").isEqualTo("local");
  }

  @Test
  void nestedBindingsRestoreTheOuterActor() {
    AtomicReference<String> inner = new AtomicReference<>();
    AtomicReference<String> afterInner = new AtomicReference<>();

    CallContext.runAs("alice", () -> {
      CallContext.runAs("svc-replicator", () -> inner.set(CallContext.actor()));
      afterInner.set(CallContext.actor());
    });

    assertThat(inner.get()).as("innermost actor").isEqualTo("svc-replicator");
    assertThat(afterInner.get()).as("outer actor restored after the inner body").isEqualTo("alice");
    assertThat(CallContext.actor()).as("default restored at the end").isEqualTo("local");
  }

  @Test
  void thePreviousActorIsRestoredWhenTheBodyThrows() {
    CallContext.runAs("alice", () -> {
      assertThatThrownBy(() -> CallContext.runAs("mallory", () -> {
        throw new IllegalStateException("boom");
      })).isInstanceOf(IllegalStateException.class);
      assertThat(CallContext.actor()).as("actor after the failing inner body").isEqualTo("alice");
    });
  }

  @Test
  void theActorIsNotInheritedByThreadsStartedInsideTheBody() throws InterruptedException {
    AtomicReference<String> seenByChild = new AtomicReference<>();
    Thread[] child = new Thread[1];

    CallContext.runAs("alice", () -> child[0] = Thread.ofVirtual().start(() -> seenByChild.set(CallContext.actor())));
    child[0].join();

    assertThat(seenByChild.get()).as("actor in a virtual thread started by alice's body").isEqualTo("local");
  }

  @Test
  void eachVirtualThreadKeepsItsOwnActor() throws InterruptedException {
    AtomicReference<String> a = new AtomicReference<>();
    AtomicReference<String> b = new AtomicReference<>();

    Thread ta = Thread.ofVirtual().start(() -> CallContext.runAs("alice", () -> {
      Thread.yield();
      a.set(CallContext.actor());
    }));
    Thread tb = Thread.ofVirtual().start(() -> CallContext.runAs("bob", () -> {
      Thread.yield();
      b.set(CallContext.actor());
    }));
    ta.join();
    tb.join();

    assertThat(a.get()).as("alice's thread").isEqualTo("alice");
    assertThat(b.get()).as("bob's thread").isEqualTo("bob");
  }

  @Test
  void blankOrControlCharacterActorsAreRejectedAndTheBodyIsNotRun() {
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> CallContext.runAs(" ", () -> ran.set(true)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("blank");
    assertThatThrownBy(() -> CallContext.runAs("eve\nadmin", () -> ran.set(true)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> CallContext.runAs("x".repeat(257), () -> ran.set(true)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 256");
    assertThat(ran).as("body run").isFalse();
  }
}
