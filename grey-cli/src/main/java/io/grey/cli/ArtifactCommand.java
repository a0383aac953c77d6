package io.grey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.Digests;
import io.grey.core.store.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grey artifact}: store, read, list, remove and presign artifacts through the server. */
@Command(name = "artifact", mixinStandardHelpOptions = true,
    description = "Store, read, list, remove and presign artifacts on a Grey server.",
    subcommands = {ArtifactCommand.Put.class, ArtifactCommand.Get.class, ArtifactCommand.Ls.class,
        ArtifactCommand.Rm.class, ArtifactCommand.Presign.class})
final class ArtifactCommand implements Callable<Integer> {
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d*)");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: put, get, ls, rm or presign");
  }

  /** {@code grey artifact put}: uploads a file or stdin, streaming. */
  @Command(name = "put", mixinStandardHelpOptions = true,
      description = "Upload FILE (or stdin with -) as artifact TENANT/TASK/NAME, streaming; replaces an existing one"
          + " unless --if-absent or --if-version says otherwise.")
  static final class Put implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    TransferOptions transfer;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TENANT/TASK/NAME", description = "The artifact to write.")
    String artifact;

    @Parameters(index = "1", paramLabel = "FILE|-", description = "The file to upload, or - for stdin.")
    String source;

    @Option(names = "--if-absent", description = "Write only if the artifact does not exist yet (else exit 4).")
    boolean ifAbsent;

    @Option(names = "--if-version", paramLabel = "VERSION",
        description = "Write only if the artifact's current version is VERSION (else exit 4).")
    String ifVersion;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag to store with the artifact; repeatable.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--content-type", paramLabel = "TYPE",
        description = "Media type to record (default: application/octet-stream).")
    String contentType = "application/octet-stream";

    @Override
    public Integer call() throws IOException {
      CliEnvironment env = GreyCli.environment(spec);
      ArtifactRef ref = ArtifactRef.parse(artifact);
      if (ifAbsent && ifVersion != null) {
        throw new ParameterException(spec.commandLine(), "--if-absent and --if-version exclude each other");
      }
      Tags.validate(tags);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", contentType);
      if (ifAbsent) {
        headers.put("If-None-Match", "*");
      }
      if (ifVersion != null) {
        headers.put("If-Match", "\"" + ifVersion + "\"");
      }
      tags.forEach((k, v) -> headers.put("X-Grey-Tag-" + k, v));

      boolean stdin = source.equals("-");
      Path file = stdin ? null : Path.of(source);
      if (file != null && !Files.isRegularFile(file)) {
        throw new ParameterException(spec.commandLine(), "cannot upload " + source + ": "
            + (Files.exists(file) ? "not a regular file" : "no such file"));
      }
      long size = stdin ? -1 : Files.size(file);
      MessageDigest sha = Digests.sha256();
      long[] sent = {0};
      GreyClient http = client.client(spec);
      GreyClient.PutResult result;
      try (Progress progress = Progress.start("put " + ref.name(), size,
          transfer.showsBar(size, env.stderrIsTerminal()), env.err())) {
        HttpRequest.BodyPublisher inputs = HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            InputStream raw = stdin ? env.in() : Files.newInputStream(file);
            return new DigestInputStream(progress.track(new CountingInputStream(raw, sent)), sha);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        HttpRequest.BodyPublisher body = stdin ? inputs : HttpRequest.BodyPublishers.fromPublisher(inputs, size);
        try {
          result = http.putArtifact(ref, body, headers);
        } catch (IllegalArgumentException e) {
          // The JDK client refuses header values it cannot send (line breaks, non-ASCII).
          throw new InvalidRequestException("cannot send the request: " + e.getMessage(), e);
        }
      }
      String localSha = Digests.hex(sha);
      if (result.sha256().isPresent() && !result.sha256().get().equalsIgnoreCase(localSha)) {
        throw new IntegrityException("the server recorded sha256 " + result.sha256().get() + " for "
            + ref.key() + " but the uploaded bytes have sha256 " + localSha);
      }
      String version = result.version().orElse("");
      if (output.json()) {
        ObjectNode doc = result.body().isObject() ? ((ObjectNode) result.body()).deepCopy()
            : GreyClient.JSON.createObjectNode();
        doc.put("key", ref.key().value());
        doc.put("size", sent[0]);
        doc.put("sha256", localSha);
        doc.put("version", version);
        OutputOptions.printJson(env.out(), doc);
      } else {
        env.out().println("put " + ref.key() + " (" + sent[0] + " bytes, version " + version + ", sha256 "
            + localSha + ")");
        env.out().flush();
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey artifact get}: downloads to a file (atomically) or stdout, verifying the digest. */
  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Download artifact TENANT/TASK/NAME to FILE (written to a temporary file next to it, then renamed)"
          + " or to stdout (- or no FILE). A whole download is checked against the server's SHA-256 (exit 7 on"
          + " mismatch).")
  static final class Get implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    TransferOptions transfer;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TENANT/TASK/NAME", description = "The artifact to read.")
    String artifact;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
        description = "Where to write: a file, a directory (keeps the artifact's last name segment) or - for stdout"
            + " (default).")
    String target;

    @Option(names = "--range", paramLabel = "A-B",
        description = "Only bytes A to B inclusive (A- for A to the end); a range is not digest-checked.")
    String range;

    @Override
    public Integer call() throws IOException {
      CliEnvironment env = GreyCli.environment(spec);
      ArtifactRef ref = ArtifactRef.parse(artifact);
      if (range != null) {
        var m = RANGE.matcher(range);
        if (!m.matches() || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < Long.parseLong(m.group(1)))) {
          throw new ParameterException(spec.commandLine(), "--range must be A-B with A <= B, or A-; got " + range);
        }
      }
      HttpResponse<InputStream> response = client.client(spec).getArtifact(ref, Optional.ofNullable(range));
      boolean whole = response.statusCode() == 200;
      long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      Optional<String> expectedSha = whole ? GreyClient.header(response, "X-Grey-Sha256") : Optional.empty();
      String version = GreyClient.header(response, "ETag").map(GreyClient::unquote).orElse("");
      MessageDigest sha = Digests.sha256();
      long[] received = {0};
      Path written = null;
      String actualSha;
      try (InputStream body = response.body();
          Progress progress = Progress.start("get " + ref.name(), size,
              transfer.showsBar(size, env.stderrIsTerminal()), env.err())) {
        InputStream in = new DigestInputStream(progress.track(new CountingInputStream(body, received)), sha);
        if (target.equals("-")) {
          copy(in, env.out(), ref);
          env.out().flush();
          checkComplete(ref, size, received[0]);
          actualSha = checkDigest(ref, expectedSha, sha);
        } else {
          written = targetFile(ref);
          actualSha = writeAtomically(in, written, ref, size, received, expectedSha, sha);
        }
      }
      if (whole && expectedSha.isEmpty() && !transfer.quiet) {
        env.err().println("grey: warning: the server sent no X-Grey-Sha256; the download was not verified");
      }
      if (written != null) {
        if (output.json()) {
          ObjectNode doc = GreyClient.JSON.createObjectNode()
              .put("key", ref.key().value())
              .put("file", written.toString())
              .put("size", received[0])
              .put("sha256", actualSha)
              .put("version", version)
              .put("verified", expectedSha.isPresent());
          OutputOptions.printJson(env.out(), doc);
        } else {
          env.out().println("got " + ref.key() + " -> " + written + " (" + received[0] + " bytes, version " + version
              + ", sha256 " + actualSha + (expectedSha.isPresent() ? ", verified" : "") + ")");
          env.out().flush();
        }
      }
      return ExitCodes.OK;
    }

    /** The file to write: the target, or the artifact's last name segment inside a target directory. */
    private Path targetFile(ArtifactRef ref) {
      Path file = Path.of(target);
      if (Files.isDirectory(file)) {
        String name = ref.name().value();
        file = file.resolve(name.substring(name.lastIndexOf('/') + 1));
      }
      return file;
    }

    /** Writes {@code in} to {@code file} through a temporary file beside it; returns the SHA-256 of the bytes. */
    private String writeAtomically(InputStream in, Path file, ArtifactRef ref, long size, long[] received,
        Optional<String> expectedSha, MessageDigest sha) throws IOException {
      Path absolute = file.toAbsolutePath();
      Path dir = absolute.getParent();
      if (!Files.isDirectory(dir)) {
        throw new ParameterException(spec.commandLine(), "cannot write " + target + ": directory " + dir
            + " does not exist");
      }
      // Next to the target, so the final rename stays on one file system and is atomic.
      Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
      try {
        try (OutputStream out = Files.newOutputStream(temp)) {
          copy(in, out, ref);
        }
        checkComplete(ref, size, received[0]);
        String actual = checkDigest(ref, expectedSha, sha);
        try {
          Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
        return actual;
      } finally {
        Files.deleteIfExists(temp);
      }
    }

    private static void copy(InputStream in, OutputStream out, ArtifactRef ref) throws IOException {
      byte[] buffer = new byte[64 * 1024];
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          throw new StoreUnavailableException("the download of " + ref.key() + " broke off: "
              + GreyClient.describe(e), e);
        }
        if (n < 0) {
          return;
        }
        out.write(buffer, 0, n);
      }
    }

    private static void checkComplete(ArtifactRef ref, long size, long received) {
      if (size >= 0 && received != size) {
        throw new StoreUnavailableException("the download of " + ref.key() + " broke off after " + received
            + " of " + size + " bytes");
      }
    }

    /** The SHA-256 hex of what was read (consuming {@code sha}), after checking it against {@code expected}. */
    private static String checkDigest(ArtifactRef ref, Optional<String> expected, MessageDigest sha) {
      String actual = Digests.hex(sha);
      if (expected.isPresent() && !expected.get().equalsIgnoreCase(actual)) {
        throw new IntegrityException("the bytes received for " + ref.key() + " have sha256 " + actual
            + " but the server recorded " + expected.get());
      }
      return actual;
    }
  }

  /** {@code grey artifact ls}: lists a task's artifacts, following pages. */
  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List the artifacts of TENANT/TASK in name order, following the server's pages.")
  static final class Ls implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TENANT/TASK", description = "The task whose artifacts to list.")
    String task;

    @Option(names = "--limit", paramLabel = "N", description = "List at most N artifacts (default: all).")
    Integer limit;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
        description = "Artifacts asked for per request, 1-1000 (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      TaskRef ref = TaskRef.parse(task);
      if (limit != null && limit < 1) {
        throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
      }
      if (pageSize < 1 || pageSize > 1000) {
        throw new ParameterException(spec.commandLine(), "--page-size must be 1-1000, got " + pageSize);
      }
      GreyClient http = client.client(spec);
      String prefix = "artifacts/" + ref.tenant() + "/" + ref.task() + "/";
      List<ObjectNode> objects = new ArrayList<>();
      String next = "";
      do {
        int want = limit == null ? pageSize : Math.min(pageSize, limit - objects.size());
        JsonNode page = http.listArtifacts(ref, next, want);
        for (JsonNode object : page.path("objects")) {
          if (object.isObject() && (limit == null || objects.size() < limit)) {
            ObjectNode copy = ((ObjectNode) object).deepCopy();
            String key = copy.path("key").asText("");
            if (!copy.hasNonNull("name")) {
              copy.put("name", key.startsWith(prefix) ? key.substring(prefix.length()) : key);
            }
            objects.add(copy);
          }
        }
        next = page.path("next").asText("");
      } while (!next.isEmpty() && (limit == null || objects.size() < limit));

      if (output.json()) {
        ObjectNode doc = GreyClient.JSON.createObjectNode();
        doc.put("tenant", ref.tenant().value());
        doc.put("task", ref.task().value());
        ArrayNode array = doc.putArray("objects");
        objects.forEach(array::add);
        doc.put("count", objects.size());
        doc.put("next", next);
        OutputOptions.printJson(env.out(), doc);
        return ExitCodes.OK;
      }
      if (objects.isEmpty()) {
        env.err().println("no artifacts in " + ref);
        return ExitCodes.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NAME", "SIZE", "LAST MODIFIED", "VERSION"));
      for (ObjectNode o : objects) {
        rows.add(List.of(o.path("name").asText(), o.path("size").asText(), o.path("last_modified").asText(),
            o.path("version").asText()));
      }
      OutputOptions.printTable(env.out(), rows);
      if (!next.isEmpty()) {
        env.err().println("(more artifacts after the first " + objects.size() + ")");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey artifact rm}: deletes an artifact. */
  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Delete artifact TENANT/TASK/NAME; exit 3 if there was none, unless --force.")
  static final class Rm implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "TENANT/TASK/NAME", description = "The artifact to delete.")
    String artifact;

    @Option(names = {"-f", "--force"}, description = "Succeed also when there is no such artifact.")
    boolean force;

    @Override
    public Integer call() {
      ArtifactRef ref = ArtifactRef.parse(artifact);
      boolean deleted = client.client(spec).deleteArtifact(ref);
      if (!deleted && !force) {
        throw new NotFoundException("no artifact at " + ref.key() + " to remove");
      }
      CliEnvironment env = GreyCli.environment(spec);
      env.out().println((deleted ? "removed " : "nothing to remove at ") + ref.key());
      env.out().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code grey artifact presign}: prints a time-limited GET URL that needs no token. */
  @Command(name = "presign", mixinStandardHelpOptions = true,
      description = "Print a presigned GET URL for TENANT/TASK/NAME that works without a token until it expires"
          + " (table output: the URL on stdout, its expiry on stderr).")
  static final class Presign implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TENANT/TASK/NAME", description = "The artifact to share.")
    String artifact;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "3600s",
        description = "How long the URL works: 90s, 15m, 2h, 7d (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      ArtifactRef ref = ArtifactRef.parse(artifact);
      Duration duration = Durations.parse(ttl)
          .orElseThrow(() -> new ParameterException(spec.commandLine(),
              "--ttl must be a whole number with s, m, h or d, like 3600s; got " + ttl));
      if (duration.toSeconds() < 1) {
        throw new ParameterException(spec.commandLine(), "--ttl must be at least 1s, got " + ttl);
      }
      JsonNode reply = client.client(spec).presign(ref, duration);
      String url = reply.path("url").asText("");
      if (url.isEmpty()) {
        throw new InvalidRequestException("the server's presign reply has no url");
      }
      JsonNode expires = reply.path("expires_at");
      String expiresAt = expires.isNumber()
          ? Instant.ofEpochSecond(expires.asLong()).toString() : expires.asText("");
      if (output.json()) {
        ObjectNode doc = GreyClient.JSON.createObjectNode()
            .put("key", ref.key().value()).put("url", url).put("expires_at", expiresAt)
            .put("ttl_seconds", duration.toSeconds());
        OutputOptions.printJson(env.out(), doc);
      } else {
        env.out().println(url);
        env.out().flush();
        env.err().println("expires " + expiresAt);
      }
      return ExitCodes.OK;
    }
  }

  /** Counts the bytes read through it into {@code counter[0]}. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private final long[] counter;

    CountingInputStream(InputStream in, long[] counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counter[0]++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        counter[0] += n;
      }
      return n;
    }
  }
}
