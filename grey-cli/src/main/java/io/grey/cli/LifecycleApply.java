package io.grey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.ConfigException;
import io.grey.core.GreyException;
import io.grey.core.ProviderNotAvailableException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.StorageConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.BlobStores;
import io.grey.core.store.StoreContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grey lifecycle apply}: turns the configured {@code lifecycle:} rules into each cloud store's own lifecycle
 * configuration, through the {@link NativeLifecycle} its module lists for {@link ServiceLoader}, and installs it
 * (or, with {@code --dry-run}, prints it). Every store is attempted; the exit code is that of the first failure.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Install the lifecycle rules as each configured cloud store's own lifecycle configuration (S3"
        + " bucket lifecycle, Azure management policy, GCS bucket lifecycle), replacing what is there.",
        "--dry-run prints the native documents instead: the documents on stdout, a header for each and the notes"
            + " on stderr."
            + " The local store has no native lifecycle: its expiry is applied by the built-in sweeper."})
final class LifecycleApply implements Callable<Integer> {
  private static final String LOCAL = StorageConfig.DEFAULT_BACKEND;

  @Spec
  CommandSpec spec;
  @Mixin
  ConfigOptions configOptions;
  @Mixin
  OutputOptions output;

  @ArgGroup(exclusive = true)
  Target target;

  /** Which stores: one kind, or all the configuration has (the default). */
  static final class Target {
    @Option(names = "--store", paramLabel = "KIND", description = "Only this store: s3, azure, gcs or local.")
    String store;
    @Option(names = "--all", description = "Every store the configuration has (the default).")
    boolean all;
  }

  @Option(names = "--dry-run", description = "Print the native documents; change nothing.")
  boolean dryRun;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Also write the native document to FILE (one cloud store only: pick it with --store).")
  Path out;

  /** One store to handle: its kind and, for a cloud store, the section it reads. */
  private record Store(String kind, String section) {
    boolean local() {
      return kind.equals(LOCAL);
    }
  }

  @Override
  public Integer call() {
    CliEnvironment env = GreyCli.environment(spec);
    GreyConfig config = configOptions.load(env);
    List<Store> stores = stores(config);
    if (out != null && stores.stream().filter(s -> !s.local()).count() != 1) {
      throw new ParameterException(spec.commandLine(), "--out writes one document, but "
          + stores.stream().filter(s -> !s.local()).count() + " cloud stores are selected; choose one with --store");
    }
    List<LifecycleRuleConfig> rules = config.lifecycle();
    ObjectNode doc = GreyClient.JSON.createObjectNode().put("dry_run", dryRun).put("rules", rules.size());
    ArrayNode results = doc.putArray("stores");
    if (rules.isEmpty()) {
      if (output.json()) {
        OutputOptions.printJson(env.out(), doc);
      } else {
        env.err().println("the configuration has no lifecycle rules; nothing to apply");
        env.err().flush();
      }
      return ExitCodes.OK;
    }
    int exit = ExitCodes.OK;
    for (Store store : stores) {
      ObjectNode result = results.addObject().put("kind", store.kind());
      if (store.local()) {
        String message = "expiration_days is applied by the built-in sweeper (every server.lifecycle_sweep_interval"
            + " on a running server, or once with `grey lifecycle run`); transitions do not apply to the local store,"
            + " which has one storage class";
        result.put("applied", false).put("result", message);
        if (!output.json()) {
          // A dry run keeps stdout to the native documents, so that it can be redirected into a file.
          (dryRun ? env.err() : env.out()).println("local: " + message);
          env.err().flush();
        }
        continue;
      }
      result.put("section", store.section());
      try {
        NativeLifecycle lifecycle = lifecycle(store.kind());
        result.put("format", lifecycle.format());
        String document = lifecycle.render(rules, section(config, store));
        if (out != null) {
          write(out, document);
        }
        if (dryRun) {
          result.put("applied", false).put("document", document);
          if (!output.json()) {
            env.err().println("# " + store.kind() + ": " + lifecycle.format() + " for section '" + store.section()
                + "'" + (out == null ? "" : ", also written to " + out));
            env.err().flush();
            env.out().print(document);
          }
        } else {
          String done = lifecycle.apply(rules, section(config, store), StoreContext.of(config, env.variables()));
          result.put("applied", true).put("result", done);
          if (!output.json()) {
            env.out().println(store.kind() + ": " + done);
          }
        }
      } catch (GreyException e) {
        result.put("applied", false);
        result.putObject("error").put("code", e.code()).put("message", e.getMessage());
        if (!output.json()) {
          env.err().println("grey: " + store.kind() + ": " + ExitCodes.describe(e));
          env.err().flush();
        }
        if (exit == ExitCodes.OK) {
          exit = ExitCodes.of(e);
        }
      }
      env.out().flush();
    }
    if (output.json()) {
      OutputOptions.printJson(env.out(), doc);
    }
    return exit;
  }

  /** The stores selected: the local store when it is the backend, then each backend section in the file. */
  private List<Store> stores(GreyConfig config) {
    List<Store> configured = new ArrayList<>();
    if (config.storage().backend().equals(LOCAL)) {
      configured.add(new Store(LOCAL, "storage"));
    }
    for (String section : config.backendSections()) {
      configured.add(new Store(BlobStores.kindReading(section), section));
    }
    if (target == null || target.store == null) {
      return configured;
    }
    String kind = target.store;
    if (kind.equals(LOCAL)) {
      return List.of(new Store(LOCAL, "storage"));
    }
    String section;
    try {
      section = BlobStores.sectionOf(kind);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--store '" + kind + "' is not a store kind (s3, azure, gcs,"
          + " local)");
    }
    return configured.stream().filter(s -> s.kind().equals(kind)).findFirst().map(List::of)
        .orElseThrow(() -> new ConfigException("--store " + kind + ": the configuration has no '" + section
            + "' section to read the " + kind + " store from"));
  }

  private static NativeLifecycle lifecycle(String kind) {
    for (NativeLifecycle lifecycle : ServiceLoader.load(NativeLifecycle.class)) {
      if (lifecycle.kind().equals(kind)) {
        return lifecycle;
      }
    }
    throw new ProviderNotAvailableException(BlobStores.notAvailable(kind) + " (it translates lifecycle rules for "
        + kind + ")");
  }

  private static ConfigSection section(GreyConfig config, Store store) {
    Optional<ConfigSection> section = config.providerSection(store.section());
    return section.orElseThrow(() -> new ConfigException("the configuration has no '" + store.section()
        + "' section"));
  }

  private static void write(Path file, String document) {
    try {
      Files.writeString(file, document, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
    }
  }
}
