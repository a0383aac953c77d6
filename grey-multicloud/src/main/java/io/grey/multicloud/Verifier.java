package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Compares the replicas of every key under a prefix (their listings merged in key order, and each copy's SHA-256)
 * and, when asked, repairs the differences. Progress is saved in the outbox database as a cursor every
 * {@value #CURSOR_EVERY} keys and when stopped, so an interrupted run resumes after the last key it finished.
 *
 * <p>Repair brings every replica of a differing key to one version: the write target's (the first store of the
 * class that is up, holds the key and is not behind for it in the outbox) when it holds the key, otherwise the
 * newest copy by last-modified time. Repair never deletes: a deletion reaches replicas only through the outbox,
 * so a store that lost an object is refilled from its replicas rather than emptying them. Keys with a pending
 * outbox entry are reported and left to the replicator. Replication writes run as {@code grey-replicator}.
 */
public final class Verifier {
  static final int CURSOR_EVERY = 100;

  private final MultiCloudStore multi;

  /** A verifier over the replicas of {@code multi}. */
  public Verifier(MultiCloudStore multi) {
    this.multi = multi;
  }

  /**
   * One key whose replicas differ.
   *
   * @param key the key
   * @param digests the SHA-256 each store of the key's class holds, empty where it has no object
   * @param pending whether the outbox still has work for the key (left to the replicator)
   * @param repairedFrom the store the repair copied from, or "" when not repaired
   */
  public record Difference(ObjectKey key, Map<String, Optional<String>> digests, boolean pending,
                           String repairedFrom) {}

  /**
   * Where a run is.
   *
   * @param checked keys compared so far in this run
   * @param differences differing keys found so far in this run
   * @param lastKey the last key finished
   */
  public record Progress(long checked, long differences, String lastKey) {}

  /**
   * The outcome of a run.
   *
   * @param checked keys compared
   * @param differences the differing keys, in key order
   * @param complete false when the run was stopped; the next run resumes from the saved cursor
   * @param resumedAfter the key the run resumed after, or "" when it started from the beginning
   * @param unreachable stores left out because they are down
   */
  public record Report(long checked, List<Difference> differences, boolean complete, String resumedAfter,
                       List<String> unreachable) {}

  /**
   * Compares (and, when {@code repair}, fixes) every key under {@code prefix}, resuming from the saved cursor of
   * the same kind of run and prefix, reporting progress to {@code progress} and stopping (cursor saved) as soon as
   * {@code stop} says so.
   */
  public Report run(String prefix, boolean repair, Consumer<Progress> progress, BooleanSupplier stop) {
    String cursorName = (repair ? "repair:" : "verify:") + prefix;
    String resumedAfter = multi.outbox().cursor(cursorName).orElse("");
    List<String> up = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    for (String name : multi.storeNames()) {
      (multi.healthOf(name).up() ? up : unreachable).add(name);
    }
    Map<String, PeekingListing> listings = new LinkedHashMap<>();
    for (String name : up) {
      listings.put(name, new PeekingListing(multi.raw(name), prefix, resumedAfter));
    }
    List<Difference> differences = new ArrayList<>();
    long checked = 0;
    String last = resumedAfter;
    while (true) {
      if (stop.getAsBoolean()) {
        multi.outbox().saveCursor(cursorName, Optional.of(last).filter(s -> !s.isEmpty()));
        return new Report(checked, differences, false, resumedAfter, unreachable);
      }
      Optional<ObjectKey> next = listings.values().stream().map(PeekingListing::peek).flatMap(Optional::stream)
          .min(Comparator.naturalOrder());
      if (next.isEmpty()) {
        break;
      }
      ObjectKey key = next.get();
      Map<String, ObjectInfo> present = new TreeMap<>();
      for (var e : listings.entrySet()) {
        if (e.getValue().peek().filter(key::equals).isPresent()) {
          present.put(e.getKey(), e.getValue().next());
        }
      }
      if (!HealthMonitor.reserved(key)) {
        checked++;
        compare(key, present, up, repair).ifPresent(differences::add);
      }
      last = key.value();
      if (checked % CURSOR_EVERY == 0) {
        multi.outbox().saveCursor(cursorName, Optional.of(last));
        progress.accept(new Progress(checked, differences.size(), last));
      }
    }
    multi.outbox().saveCursor(cursorName, Optional.empty());
    progress.accept(new Progress(checked, differences.size(), last));
    return new Report(checked, differences, true, resumedAfter, unreachable);
  }

  private Optional<Difference> compare(ObjectKey key, Map<String, ObjectInfo> present, List<String> up,
                                       boolean repair) {
    DataClass dc = key.dataClass().orElse(DataClass.STATE);
    List<String> holders = multi.config().writeOrder(dc).stream().filter(up::contains).toList();
    Map<String, Optional<String>> digests = new LinkedHashMap<>();
    for (String name : holders) {
      digests.put(name, Optional.ofNullable(present.get(name)).map(ObjectInfo::sha256));
    }
    if (digests.values().stream().distinct().count() <= 1) {
      return Optional.empty();
    }
    boolean pending = holders.stream().anyMatch(n -> multi.outbox().behind(n, key));
    if (!repair || pending) {
      return Optional.of(new Difference(key, digests, pending, ""));
    }
    Optional<String> source = holders.stream().filter(present::containsKey).findFirst()
        .filter(first -> first.equals(holders.getFirst()))
        .or(() -> present.entrySet().stream().filter(e -> holders.contains(e.getKey()))
            .max(Comparator.comparing(e -> Copier.logical(e.getValue()).lastModified())).map(Map.Entry::getKey));
    if (source.isEmpty()) {
      return Optional.of(new Difference(key, digests, false, ""));
    }
    for (String target : holders) {
      if (!target.equals(source.get())) {
        try {
          CallContext.runAs(MultiCloudStore.REPLICATOR,
              () -> Copier.bringUpToDate(multi.raw(source.get()), multi.raw(target), key));
        } catch (GreyException e) {
          return Optional.of(new Difference(key, digests, false, ""));
        }
      }
    }
    return Optional.of(new Difference(key, digests, false, source.get()));
  }

  /** One store's listing under a prefix, page by page, with a look at the next key. */
  private static final class PeekingListing {
    private final BlobStore store;
    private ListRequest request;
    private Iterator<ObjectInfo> page = List.<ObjectInfo>of().iterator();
    private boolean last;
    private ObjectInfo head;

    PeekingListing(BlobStore store, String prefix, String startAfter) {
      this.store = store;
      this.request = ListRequest.prefix(prefix).after(startAfter);
    }

    Optional<ObjectKey> peek() {
      fill();
      return Optional.ofNullable(head).map(ObjectInfo::key);
    }

    ObjectInfo next() {
      fill();
      ObjectInfo out = head;
      head = null;
      return out;
    }

    private void fill() {
      while (head == null) {
        if (page.hasNext()) {
          head = page.next();
          return;
        }
        if (last) {
          return;
        }
        ListPage p = store.list(request);
        page = p.objects().iterator();
        Optional<String> token = p.next();
        if (token.isPresent()) {
          request = request.after(token.get());
        } else {
          last = true;
        }
      }
    }
  }
}
