package io.grey.server;

import io.grey.core.InvalidRequestException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.Tenant;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The node's own credentials file, written when no tokens are configured: {@code server=}, {@code tenant=} and
 * {@code token=} lines, readable by its owner only (0600). The CLI reads it to reach the server.
 *
 * @param server the base URL the server answers on
 * @param tenant the tenant the token acts for
 * @param token the bearer token; never logged
 */
record Credentials(URI server, Tenant tenant, String token) {
  static final String FILE_NAME = "credentials";
  static final Tenant DEFAULT_TENANT = new Tenant("default");
  private static final int TOKEN_BYTES = 32;

  Credentials {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tenant, "tenant");
    if (token == null || token.isBlank()) {
      throw new InvalidRequestException("credentials token must not be blank");
    }
  }

  @Override
  public String toString() {
    return "Credentials[server=" + server + ", tenant=" + tenant + ", token=<hidden>]";
  }

  /**
   * Reads {@code file}, or creates it with a fresh random token for tenant {@code default}. The token of an
   * existing file is kept; its {@code server} line is rewritten when the node now answers elsewhere. Every write
   * goes to a 0600 temporary file in the same directory that is then moved over {@code file} atomically, so a
   * reader never sees a partial file and the token is never readable by others.
   *
   * @throws StoreUnavailableException if the file cannot be read or written
   * @throws InvalidRequestException if an existing file lacks a token or tenant
   */
  static Credentials loadOrCreate(Path file, URI server, RandomGenerator random) {
    try {
      if (Files.exists(file)) {
        Credentials existing = parse(Files.readAllLines(file, StandardCharsets.UTF_8), server, file);
        if (!existing.server().equals(server)) {
          Credentials moved = new Credentials(server, existing.tenant(), existing.token());
          moved.write(file);
          return moved;
        }
        return existing;
      }
      byte[] secret = new byte[TOKEN_BYTES];
      random.nextBytes(secret);
      Credentials created =
          new Credentials(server, DEFAULT_TENANT, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      created.write(file);
      return created;
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot read or write the credentials file " + file.getFileName(), e);
    }
  }

  private static Credentials parse(List<String> lines, URI server, Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    String token = values.get("token");
    String tenant = values.get("tenant");
    String written = values.get("server");
    if (token == null || token.isBlank() || tenant == null) {
      throw new InvalidRequestException(
          "credentials file " + file.getFileName() + " must have tenant= and token= lines");
    }
    URI recorded;
    try {
      recorded = written == null ? server : URI.create(written);
    } catch (IllegalArgumentException e) {
      recorded = server;
    }
    return new Credentials(recorded, new Tenant(tenant), token);
  }

  private void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(FILE_NAME + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    byte[] content = ("server=" + server + "\ntenant=" + tenant.value() + "\ntoken=" + token + "\n")
        .getBytes(StandardCharsets.UTF_8);
    try {
      // Created with 0600 from the start: never a moment where another user could read the token.
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.SYNC);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
