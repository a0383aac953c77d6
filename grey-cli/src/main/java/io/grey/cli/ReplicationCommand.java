package io.grey.cli;

import io.grey.core.ConfigException;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.StoreContext;
import io.grey.multicloud.MultiCloudConfig;
import io.grey.multicloud.MultiCloudStore;
import io.grey.multicloud.Outbox;
import io.grey.multicloud.Verifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grey replication}: the multi-cloud replication outbox and replica checks, offline: it reads
 * {@code <data_dir>/outbox.db} and the stores of the configuration's {@code multi_cloud} section directly, so it
 * works with or without a running server (SQLite lets both use the outbox at once).
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
    description = "Multi-cloud replication: outbox status, dead-letter retry, replica verify and repair.",
    subcommands = {ReplicationCommand.Status.class, ReplicationCommand.Retry.class, ReplicationCommand.Verify.class,
        ReplicationCommand.Repair.class})
final class ReplicationCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: status, retry, verify or repair");
  }

  static MultiCloudConfig multiCloud(GreyConfig config) {
    return MultiCloudConfig.from(config).orElseThrow(() -> new ConfigException(
        "the configuration has no multi_cloud section; see docs/multicloud.md"));
  }

  static Outbox openOutbox(GreyConfig config, MultiCloudConfig multi) {
    return Outbox.open(config.server().dataDir(), multi.outboxSync(), Clock.systemUTC());
  }

  static MultiCloudStore openStores(CliEnvironment env, GreyConfig config, MultiCloudConfig multi) {
    return MultiCloudStore.open(multi, StoreContext.of(config, env.variables()), new SimpleMeterRegistry(),
        UnaryOperator.identity(), false);
  }

  /** {@code grey replication status}: pending, dead and lag per target, and the dead letters. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show each target's pending changes, dead letters and lag (age of the oldest pending change),"
          + " then the dead letters with their last error.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--limit", defaultValue = "50", description = "Dead letters to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      GreyConfig config = configOptions.load(env);
      MultiCloudConfig multi = multiCloud(config);
      try (Outbox outbox = openOutbox(config, multi)) {
        List<Outbox.Entry> dead = outbox.all(Optional.of(Outbox.State.DEAD), limit);
        if (output.json()) {
          var doc = GreyClient.JSON.createObjectNode();
          var targets = doc.putArray("targets");
          for (String t : multi.storeNames()) {
            var lag = outbox.oldestPending(t, Optional.empty())
                .map(i -> java.time.Duration.between(i, Clock.systemUTC().instant()).toMillis() / 1000.0).orElse(0.0);
            targets.addObject().put("target", t).put("pending", outbox.count(t, Outbox.State.PENDING))
                .put("dead", outbox.count(t, Outbox.State.DEAD)).put("lag_seconds", lag);
          }
          var letters = doc.putArray("dead_letters");
          for (Outbox.Entry e : dead) {
            letters.addObject().put("target", e.target()).put("key", e.key().value()).put("source", e.source())
                .put("attempts", e.attempts()).put("last_error", e.lastError());
          }
          OutputOptions.printJson(env.out(), doc);
        } else {
          List<List<String>> rows = new ArrayList<>();
          rows.add(List.of("TARGET", "PENDING", "DEAD", "LAG"));
          for (String t : multi.storeNames()) {
            String lag = outbox.oldestPending(t, Optional.empty())
                .map(i -> java.time.Duration.between(i, Clock.systemUTC().instant()).toSeconds() + "s").orElse("0s");
            rows.add(List.of(t, String.valueOf(outbox.count(t, Outbox.State.PENDING)),
                String.valueOf(outbox.count(t, Outbox.State.DEAD)), lag));
          }
          OutputOptions.printTable(env.out(), rows);
          if (!dead.isEmpty()) {
            env.out().println();
            List<List<String>> letters = new ArrayList<>();
            letters.add(List.of("TARGET", "KEY", "SOURCE", "ATTEMPTS", "LAST ERROR"));
            for (Outbox.Entry e : dead) {
              letters.add(List.of(e.target(), e.key().value(), e.source(), String.valueOf(e.attempts()),
                  e.lastError()));
            }
            OutputOptions.printTable(env.out(), letters);
          }
          env.out().flush();
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey replication retry}: dead letters back to pending. */
  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Re-queue dead letters (all, or one target's) for another max_attempts; a running server picks"
          + " them up within a second.")
  static final class Retry implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--target", paramLabel = "STORE", description = "Only this target's dead letters.")
    String target;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      GreyConfig config = configOptions.load(env);
      MultiCloudConfig multi = multiCloud(config);
      if (target != null && !multi.storeNames().contains(target)) {
        throw new io.grey.core.InvalidRequestException("no store named '" + target + "' (known: "
            + String.join(", ", multi.storeNames()) + ")");
      }
      try (Outbox outbox = openOutbox(config, multi)) {
        int n = outbox.retryDead(Optional.ofNullable(target));
        env.out().println("re-queued " + n + " dead letter" + (n == 1 ? "" : "s"));
        env.out().flush();
      }
      return ExitCodes.OK;
    }
  }

  /** The shared body of verify and repair. */
  abstract static class Check implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Only keys under this prefix.")
    String prefix;

    abstract boolean repair();

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      GreyConfig config = configOptions.load(env);
      MultiCloudConfig multi = multiCloud(config);
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(1);
      // Ctrl-C saves the cursor before the JVM exits, so the next run resumes where this one stopped.
      Thread hook = new Thread(() -> {
        stop.set(true);
        try {
          done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      Verifier.Report report;
      try (MultiCloudStore store = openStores(env, config, multi)) {
        report = new Verifier(store).run(prefix, repair(), p -> {
          env.err().println((repair() ? "repair" : "verify") + ": " + p.checked() + " keys checked, "
              + p.differences() + " differing (at " + p.lastKey() + ")");
          env.err().flush();
        }, stop::get);
      } finally {
        done.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: the JVM is exiting on Ctrl-C.
      }
      print(env, report);
      return report.differences().stream().allMatch(d -> !d.repairedFrom().isEmpty() && repair())
          && report.complete() ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }

    private void print(CliEnvironment env, Verifier.Report report) {
      if (output.json()) {
        var doc = GreyClient.JSON.createObjectNode().put("prefix", prefix).put("checked", report.checked())
            .put("complete", report.complete()).put("resumed_after", report.resumedAfter());
        doc.putArray("unreachable").addAll(report.unreachable().stream()
            .map(GreyClient.JSON.getNodeFactory()::textNode).toList());
        var diffs = doc.putArray("differences");
        for (Verifier.Difference d : report.differences()) {
          var o = diffs.addObject().put("key", d.key().value()).put("pending", d.pending())
              .put("repaired_from", d.repairedFrom());
          var digests = o.putObject("sha256");
          d.digests().forEach((k, v) -> digests.put(k, v.orElse(null)));
        }
        OutputOptions.printJson(env.out(), doc);
        return;
      }
      List<List<String>> rows = new ArrayList<>();
      List<String> header = new ArrayList<>(List.of("KEY"));
      header.addAll(multiCloud(configOptions.load(env)).storeNames());
      header.add(repair() ? "REPAIRED FROM" : "PENDING");
      rows.add(header);
      for (Verifier.Difference d : report.differences()) {
        List<String> row = new ArrayList<>(List.of(d.key().value()));
        for (String store : header.subList(1, header.size() - 1)) {
          Optional<String> sha = d.digests().getOrDefault(store, Optional.empty());
          row.add(!d.digests().containsKey(store) ? "-" : sha.map(s -> s.substring(0, 12)).orElse("(absent)"));
        }
        row.add(repair() ? (d.repairedFrom().isEmpty() ? "(not repaired)" : d.repairedFrom())
            : (d.pending() ? "yes" : "no"));
        rows.add(row);
      }
      if (rows.size() > 1) {
        OutputOptions.printTable(env.out(), rows);
      }
      env.out().println((report.complete() ? "" : "stopped early (resume by running again): ") + report.checked()
          + " keys checked, " + report.differences().size() + " differing"
          + (report.resumedAfter().isEmpty() ? "" : ", resumed after " + report.resumedAfter())
          + (report.unreachable().isEmpty() ? "" : "; left out (down): " + String.join(", ", report.unreachable())));
      env.out().flush();
    }
  }

  /** {@code grey replication verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Compare the replicas' listings and SHA-256 digests under --prefix and print the keys that"
          + " differ. Resumable: an interrupted run continues after the last key it finished.",
          "Exit 0 when every replica agrees, 7 when some differ."})
  static final class Verify extends Check {
    @Override
    boolean repair() {
      return false;
    }
  }

  /** {@code grey replication repair}. */
  @Command(name = "repair", mixinStandardHelpOptions = true,
      description = {"Bring every replica of each differing key under --prefix to one version: the write target's"
          + " when it holds the key, else the newest copy. Never deletes; keys with pending outbox work are left to"
          + " the replicator. Resumable like verify.",
          "Exit 0 when every difference was repaired, 7 otherwise."})
  static final class Repair extends Check {
    @Override
    boolean repair() {
      return true;
    }
  }
}
