package io.grey.cli;

import io.grey.core.ConfigException;
import io.grey.core.config.ConfigLoader;
import java.nio.file.Path;
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

  /** {@code grey config validate FILE}: loads FILE as the server would, exit 2 naming file and line if wrong. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Load FILE exactly as `grey server --config FILE` would. Prints `ok: FILE`, or the problem with"
          + " file, line and key on stderr and exits 2.")
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
      try {
        ConfigLoader.load(file, env.variables());
      } catch (ConfigException e) {
        if (output.json()) {
          OutputOptions.printJson(env.out(), GreyClient.JSON.createObjectNode()
              .put("file", file.toString()).put("valid", false).put("error", e.getMessage()));
        }
        throw e;
      }
      if (output.json()) {
        OutputOptions.printJson(env.out(), GreyClient.JSON.createObjectNode()
            .put("file", file.toString()).put("valid", true).put("error", ""));
      } else {
        env.out().println("ok: " + file);
        env.out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
