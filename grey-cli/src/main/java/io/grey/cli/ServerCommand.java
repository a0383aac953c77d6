package io.grey.cli;

import io.grey.core.config.GreyConfig;
import io.grey.server.GreyServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grey server}: serves the HTTP API until SIGTERM or Ctrl-C, then closes the server cleanly. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the Grey server in the foreground until SIGTERM or Ctrl-C. Without --config it serves the"
        + " embedded default: 127.0.0.1:8080, data under ./grey-data, a generated token in ./grey-data/credentials.")
final class ServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  ConfigOptions configOptions;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: from the config).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on, 0 for any free one.")
  Integer port;

  @Override
  public Integer call() {
    if (port != null && (port < 0 || port > 65535)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
    }
    CliEnvironment env = GreyCli.environment(spec);
    GreyConfig config = ConfigOptions.withListen(configOptions.load(env), host, port);
    GreyServer server = GreyServer.start(config);
    Thread hook = new Thread(server::close, "grey-server-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String access = config.auth().tokens().isEmpty()
        ? "credentials in " + config.server().dataDir().resolve(Credentials.FILE_NAME).toAbsolutePath().normalize()
        : "tokens from " + (configOptions.config == null ? "the configuration" : configOptions.config);
    env.out().println("grey server listening on " + server.baseUri() + " (" + access + ")");
    env.out().flush();
    try {
      server.awaitShutdown();
    } finally {
      server.close();
    }
    return ExitCodes.OK;
  }
}
