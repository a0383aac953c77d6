package io.grey.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grey completion}: prints a shell completion script for every command and option of {@code grey}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a completion script for SHELL (bash; zsh can load it with bashcompinit).",
    footer = {"", "Install: grey completion bash > ~/.local/share/bash-completion/completions/grey",
        "   or:   source <(grey completion bash)"})
final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
      description = "The shell; only bash (default).")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash")) {
      throw new ParameterException(spec.commandLine(), "no completion for shell '" + shell + "'; only bash");
    }
    CliEnvironment env = GreyCli.environment(spec);
    env.out().print(AutoComplete.bash("grey", spec.root().commandLine()));
    env.out().flush();
    return ExitCodes.OK;
  }
}
