package io.grey.cli;

import io.grey.core.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a client command sends its requests and the bearer token it sends. Each of the two is taken from its
 * flag, else its environment variable ({@code GREY_SERVER}, {@code GREY_TOKEN}), else the credentials file that
 * {@code grey server} writes ({@code <data dir>/credentials}: lines {@code server=}, {@code tenant=},
 * {@code token=}).
 *
 * @param server the base URL of the server, for example {@code http://127.0.0.1:8080}
 * @param token the bearer token
 */
public record Credentials(URI server, String token) {
  /** The variable naming the server URL. */
  public static final String SERVER_VARIABLE = "GREY_SERVER";
  /** The variable holding the token. */
  public static final String TOKEN_VARIABLE = "GREY_TOKEN";
  /** The name of the file under the data directory. */
  public static final String FILE_NAME = "credentials";

  public Credentials {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new ConfigException("the token is empty");
    }
  }

  /**
   * Resolves server and token from the flags (empty when not given), the environment and, only if one of them
   * is still missing, {@code dataDir}/credentials.
   *
   * @throws ConfigException if one is missing everywhere or the credentials file cannot be read, saying what to do
   */
  static Credentials resolve(Optional<String> serverFlag, Optional<String> tokenFlag, CliEnvironment env,
      Path dataDir) {
    Optional<String> server = serverFlag.or(() -> env.variable(SERVER_VARIABLE));
    Optional<String> token = tokenFlag.or(() -> env.variable(TOKEN_VARIABLE));
    if (server.isEmpty() || token.isEmpty()) {
      Map<String, String> file = readFile(dataDir.resolve(FILE_NAME));
      server = server.or(() -> Optional.ofNullable(file.get("server")));
      token = token.or(() -> Optional.ofNullable(file.get("token")));
      if (server.isEmpty() || token.isEmpty()) {
        throw new ConfigException(dataDir.resolve(FILE_NAME) + " has no " + (server.isEmpty() ? "server=" : "token=")
            + " line; pass --server and --token");
      }
    }
    return new Credentials(parseServer(server.get()), token.get());
  }

  private static URI parseServer(String text) {
    String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("server URL '" + text + "' is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new ConfigException("server URL '" + text + "' must look like http://HOST:PORT");
    }
    return uri;
  }

  private static Map<String, String> readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("no server credentials: " + file + " does not exist; start `grey server` in this"
          + " directory (or point --data-dir at its data directory), or pass --server and --token"
          + " (or set " + SERVER_VARIABLE + " and " + TOKEN_VARIABLE + ")");
    } catch (IOException e) {
      throw new ConfigException("cannot read the server credentials " + file + ": " + e.getMessage()
          + "; pass --server and --token (or set " + SERVER_VARIABLE + " and " + TOKEN_VARIABLE + ")");
    }
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return values;
  }
}
