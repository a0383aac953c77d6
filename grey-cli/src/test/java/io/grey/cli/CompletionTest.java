package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionTest {
  @Test
  void bashScriptCoversEverySubcommand() {
    Cli.Result result = Cli.run("completion");
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).startsWith("#!/usr/bin/env bash")
        .contains("server", "artifact", "proof", "config", "audit", "lifecycle", "completion")
        .contains("put", "get", "ls", "rm", "presign", "validate", "verify", "run")
        .contains("--if-absent", "--output");
  }

  @Test
  void otherShellsAreAUsageError() {
    Cli.Result result = Cli.run("completion", "fish");
    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("only bash");
  }

  @Test
  void helpFooterShowsTheExitCodes() {
    Cli.Result result = Cli.run("--help");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("Exit codes:").contains("4  precondition failed")
        .contains("7  integrity mismatch");
  }
}
