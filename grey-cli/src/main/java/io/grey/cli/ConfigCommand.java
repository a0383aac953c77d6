package io.grey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.GreyException;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStores;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import io.grey.cost.CostConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grey config}: checks configuration files without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check Grey configuration files.",
    subcommands = ConfigCommand.Validate.class)
final class ConfigCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: validate");
  }

  /**
   * {@code grey config validate FILE}: loads FILE as the server would and describes the stores it configures, with
   * the credential source each would use; exit 2 naming file and line if wrong.
   */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Load FILE exactly as `grey server --config FILE` would, contacting no store. Prints `ok: FILE`"
          + " and, for the server's store (storage.backend) and every other configured cloud section, where objects"
          + " would go and which credential source would be used (never a key). A problem is printed with file,"
          + " line and key on stderr, exit 2; so is a cloud section whose module is not installed, and a cost section or"
          + " price catalog that grey-cost refuses.")
  static final class Validate implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "FILE", description = "The YAML configuration to check.")
    Path file;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      List<StoreDescription> stores;
      try {
        GreyConfig config = ConfigLoader.load(file, env.variables());
        stores = BlobStores.describeAll(StoreContext.of(config, env.variables()));
        // The cost section and the price catalog it names, as the server would read them at start.
        CostConfig.of(config).priceCatalog();
      } catch (GreyException e) {
        if (output.json()) {
          OutputOptions.printJson(env.out(), GreyClient.JSON.createObjectNode()
              .put("file", file.toString()).put("valid", false).put("error", e.getMessage()));
        }
        throw e;
      }
      if (output.json()) {
        ObjectNode doc = GreyClient.JSON.createObjectNode().put("file", file.toString()).put("valid", true)
            .put("error", "");
        ArrayNode list = doc.putArray("stores");
        for (int i = 0; i < stores.size(); i++) {
          StoreDescription store = stores.get(i);
          list.addObject().put("kind", store.kind()).put("section", store.section()).put("backend", i == 0)
              .put("target", store.target()).put("credentials", store.credentials());
        }
        OutputOptions.printJson(env.out(), doc);
      } else {
        env.out().println("ok: " + file);
        for (int i = 0; i < stores.size(); i++) {
          StoreDescription store = stores.get(i);
          // The first description is always the backend the server serves from.
          env.out().println((i == 0 ? "backend: " : "also configured: ") + store.kind() + " (" + store.section()
              + ") " + store.target());
          env.out().println("  credentials: " + store.credentials());
        }
        env.out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
