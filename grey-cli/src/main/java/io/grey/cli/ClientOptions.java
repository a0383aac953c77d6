package io.grey.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options every client command shares: which server, which token, where the credentials file is. */
final class ClientOptions {
  @Option(names = "--server", paramLabel = "URL",
      description = "Server base URL (default: $GREY_SERVER, else server= of the credentials file).")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Bearer token (default: $GREY_TOKEN, else token= of the credentials file).")
  String token;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "grey-data",
      description = "Data directory of a local `grey server`, holding its credentials file (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  /** A client for the server these options and the environment of {@code spec}'s run name. */
  GreyClient client(CommandSpec spec) {
    return new GreyClient(Credentials.resolve(Optional.ofNullable(server), Optional.ofNullable(token),
        GreyCli.environment(spec), dataDir));
  }
}
