package io.grey.cli;

import io.grey.core.IntegrityException;
import io.grey.core.NotFoundException;
import io.grey.core.audit.AuditLog;
import io.grey.core.audit.AuditVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grey audit}: checks the hash-chained audit log offline. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check Grey's audit log.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: verify");
  }

  /** {@code grey audit verify [FILE]}: exit 7 naming the first bad line when the chain or anchor is broken. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every line of the audit log and its head anchor. FILE defaults to audit.file of --config,"
          + " else <data dir>/audit.log. Exits 7 naming the first bad line when the log was tampered with.")
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The audit log to check.")
    Path file;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      Path log = file != null ? file : configOptions.load(env).audit().file();
      if (!Files.isRegularFile(log)) {
        throw new NotFoundException("audit log " + log + " does not exist");
      }
      AuditVerification result = AuditLog.verify(log);
      if (output.json()) {
        OutputOptions.printJson(env.out(), GreyClient.JSON.createObjectNode()
            .put("file", log.toString())
            .put("ok", result.ok())
            .put("entries_checked", result.entriesChecked())
            .put("first_bad_line", result.firstBadLine())
            .put("reason", result.reason()));
      } else if (result.ok()) {
        env.out().println("ok: " + log + ": " + result.entriesChecked() + " entries, chain and anchor intact");
        env.out().flush();
      }
      if (!result.ok()) {
        throw new IntegrityException("audit log " + log + " line " + result.firstBadLine() + ": " + result.reason()
            + " (" + result.entriesChecked() + " entries intact before it)");
      }
      return ExitCodes.OK;
    }
  }
}
