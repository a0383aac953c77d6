package io.grey.cli;

import io.grey.core.ConfigException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.audit.AuditLog;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.StorageConfig;
import io.grey.core.context.CallContext;
import io.grey.core.layer.AuditLayer;
import io.grey.core.lifecycle.LifecycleRule;
import io.grey.core.lifecycle.LifecycleSweeper;
import io.grey.core.lifecycle.SweepReport;
import io.grey.core.store.BlobStore;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grey lifecycle}: applies the configured lifecycle rules to the local store, offline ({@code run}), or
 * installs them as the cloud stores' own lifecycle configuration ({@code apply}).
 */
@Command(name = "lifecycle", mixinStandardHelpOptions = true, description = "Apply lifecycle rules.",
    subcommands = {LifecycleCommand.Run.class, LifecycleApply.class})
final class LifecycleCommand implements Callable<Integer> {
  /** The actor recorded in the audit log for deletions made by this command. */
  static final String ACTOR = "grey-lifecycle";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: run or apply");
  }

  /** {@code grey lifecycle run}: one sweep over the configuration's local store. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Open the local store of the configuration directly (no server) and delete, once, the objects"
          + " older than the expiration_days of their lifecycle rule. Deletions are written to the audit log when it"
          + " is enabled. --dry-run reports what would go and deletes nothing.",
          "A running server sweeps by itself every server.lifecycle_sweep_interval and holds the audit log; stop it"
          + " first or use --dry-run."})
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--dry-run", description = "Report what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      GreyConfig config = configOptions.load(env);
      if (!config.storage().backend().equals(StorageConfig.DEFAULT_BACKEND)) {
        // Sweeping the local directory would report success while the configured backend keeps every object.
        throw new ConfigException("storage.backend is '" + config.storage().backend() + "': `grey lifecycle run`"
            + " sweeps the local store only; a server on that backend sweeps it every"
            + " server.lifecycle_sweep_interval");
      }
      Path root = config.storage().local().root();
      if (!Files.isDirectory(root)) {
        throw new NotFoundException("local store root " + root + " does not exist");
      }
      List<LifecycleRule> rules = config.lifecycle().stream().map(LifecycleRule::from).toList();
      SweepReport report;
      if (rules.isEmpty()) {
        // Nothing can expire: leave the store and the audit log (which a running server holds) alone.
        report = new SweepReport(0, 0, 0);
      } else {
        report = sweep(config, root, rules);
      }
      if (output.json()) {
        var doc = GreyClient.JSON.createObjectNode()
            .put("root", root.toString())
            .put("dry_run", dryRun)
            .put("rules", rules.size())
            .put("scanned", report.scanned())
            .put("deleted", report.deleted())
            .put("bytes_freed", report.bytesFreed());
        OutputOptions.printJson(env.out(), doc);
      } else {
        if (rules.isEmpty()) {
          env.err().println("the configuration has no lifecycle rules; nothing can expire");
        }
        env.out().println((dryRun ? "dry run: would delete " : "deleted ") + report.deleted() + " of "
            + report.scanned() + " objects scanned, " + report.bytesFreed() + " bytes " + (dryRun ? "to free" : "freed")
            + " (" + rules.size() + " rules, store " + root + ")");
        env.out().flush();
      }
      return ExitCodes.OK;
    }

    private SweepReport sweep(GreyConfig config, Path root, List<LifecycleRule> rules) {
      try (BlobStore local = LocalStore.open(LocalStoreOptions.of(root));
          AuditLog audit = dryRun || !config.audit().enabled() ? null : openAudit(config.audit().file())) {
        BlobStore store = dryRun ? new DryRunStore(local) : local;
        BlobStore swept = audit == null ? store : new AuditLayer(audit).wrap(store);
        return CallContext.callAs(ACTOR, () -> new LifecycleSweeper(swept, rules, Clock.systemUTC()).sweep());
      }
    }

    private static AuditLog openAudit(Path file) {
      try {
        return AuditLog.open(file, Clock.systemUTC());
      } catch (InvalidRequestException e) {
        throw new StoreUnavailableException("the audit log " + file + " is in use, probably by a running"
            + " `grey server` (which sweeps by itself); stop it first, or use --dry-run", e);
      }
    }
  }
}
