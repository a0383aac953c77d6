package io.grey.cli;

import io.grey.core.config.GreyConfig;
import io.grey.multicloud.MultiCloudConfig;
import io.grey.multicloud.MultiCloudStore;
import io.grey.multicloud.StoreHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code grey stores}: the named stores of the multi_cloud section, probed from this machine. */
@Command(name = "stores", mixinStandardHelpOptions = true, description = "The multi-cloud section's named stores.",
    subcommands = StoresCommand.Status.class)
final class StoresCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: status");
  }

  /** {@code grey stores status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Probe every store --probes times (a tiny write, read and delete under state/_grey/health/)"
          + " and show up/down with the configured hysteresis, probe latency p50/p99 and error rate, measured from"
          + " this machine.", "Exit 0 when every store is up, 6 when one is down."})
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--probes", defaultValue = "5", description = "Probe rounds (default: ${DEFAULT-VALUE}).")
    int probes;

    @Override
    public Integer call() throws InterruptedException {
      CliEnvironment env = GreyCli.environment(spec);
      GreyConfig config = configOptions.load(env);
      MultiCloudConfig multi = ReplicationCommand.multiCloud(config);
      List<StoreHealth.Snapshot> status;
      try (MultiCloudStore store = ReplicationCommand.openStores(env, config, multi)) {
        for (int i = 0; i < Math.max(1, probes); i++) {
          store.monitor().probeAll();
        }
        status = store.storesStatus();
      }
      if (output.json()) {
        var doc = GreyClient.JSON.createObjectNode();
        var stores = doc.putArray("stores");
        for (StoreHealth.Snapshot s : status) {
          stores.addObject().put("store", s.store()).put("up", s.up()).put("probes", s.probes())
              .put("p50_ms", s.probeP50().toNanos() / 1e6).put("p99_ms", s.probeP99().toNanos() / 1e6)
              .put("error_rate", s.errorRate());
        }
        OutputOptions.printJson(env.out(), doc);
      } else {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("STORE", "STATE", "P50", "P99", "ERRORS"));
        for (StoreHealth.Snapshot s : status) {
          rows.add(List.of(s.store(), s.up() ? "up" : "down", "%.1fms".formatted(s.probeP50().toNanos() / 1e6),
              "%.1fms".formatted(s.probeP99().toNanos() / 1e6), "%.0f%%".formatted(s.errorRate() * 100)));
        }
        OutputOptions.printTable(env.out(), rows);
        env.out().flush();
      }
      return status.stream().allMatch(StoreHealth.Snapshot::up) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
  }
}
