package io.grey.cli;

import io.grey.core.GreyException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code grey} command: runs the server, talks to it over HTTP, and checks configuration, audit logs and
 * proofs offline. Errors come out as one line on stderr and an exit code from {@link ExitCodes}; a stack trace
 * only with {@code --verbose}. One instance serves one run.
 */
@Command(
    name = "grey",
    mixinStandardHelpOptions = true,
    versionProvider = GreyCli.Version.class,
    description = "Grey: artifacts, proofs and state of distributed work, on any store.",
    subcommands = {
        ServerCommand.class,
        ArtifactCommand.class,
        ProofCommand.class,
        ConfigCommand.class,
        AuditCommand.class,
        LifecycleCommand.class,
        KeysCommand.class,
        CostCommand.class,
        ReplicationCommand.class,
        StoresCommand.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class
    },
    footerHeading = "%n",
    footer = {ExitCodes.TABLE, "",
        "Client commands take the server URL and token from --server and --token,",
        "else GREY_SERVER and GREY_TOKEN, else ./grey-data/credentials (written by",
        "`grey server`; --data-dir points elsewhere). Details: docs/cli.md"})
public final class GreyCli implements Callable<Integer> {
  private final CliEnvironment environment;

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error, not only its message.")
  boolean verbose;

  /** A run against the process's own streams and environment. */
  public GreyCli() {
    this(CliEnvironment.system());
  }

  /** A run against {@code environment}, for embedding and tests. */
  public GreyCli(CliEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /** Runs {@code grey} with {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    int code = new GreyCli().run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs {@code grey} with {@code args} and returns the exit code; never throws. */
  public int run(String... args) {
    return commandLine().execute(args);
  }

  /** The picocli command line of this run, with Grey's error handling and streams installed. */
  public CommandLine commandLine() {
    CommandLine line = new CommandLine(this);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(writer(environment.out()));
    line.setErr(writer(environment.err()));
    line.setParameterExceptionHandler(GreyCli::usageError);
    line.setExecutionExceptionHandler(this::executionError);
    return line;
  }

  /** The streams and environment of the run that {@code spec} (any command of the tree) belongs to. */
  static CliEnvironment environment(CommandSpec spec) {
    return ((GreyCli) spec.root().userObject()).environment;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    err.println("grey: " + e.getMessage());
    err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private int executionError(Exception e, CommandLine line, ParseResult parsed) {
    PrintWriter err = line.getErr();
    boolean showTrace = verbose || verboseRequested(parsed);
    int code;
    if (e instanceof GreyException grey) {
      err.println("grey: " + ExitCodes.describe(grey));
      code = ExitCodes.of(grey);
    } else if (e instanceof UncheckedIOException io) {
      err.println("grey: " + io.getCause().getMessage());
      code = ExitCodes.INTERNAL;
    } else {
      err.println("grey: internal error: " + e);
      code = ExitCodes.INTERNAL;
    }
    if (showTrace) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean verboseRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = GreyCli.class.getPackage().getImplementationVersion();
      return new String[] {"grey " + (version == null ? "development" : version)};
    }
  }
}
