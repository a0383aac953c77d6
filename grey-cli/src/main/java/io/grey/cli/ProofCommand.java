package io.grey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.artifact.NodeKey;
import io.grey.core.artifact.ProofVerification;
import io.grey.core.artifact.Proofs;
import io.grey.core.artifact.SignedProof;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grey proof}: records signed proofs through the server and verifies them, online or offline. */
@Command(name = "proof", mixinStandardHelpOptions = true,
    description = "Record signed proofs of work and verify them.",
    subcommands = {ProofCommand.Put.class, ProofCommand.Verify.class})
final class ProofCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: put or verify");
  }

  /** {@code grey proof put}: the server signs the claim with its node key and stores it. */
  @Command(name = "put", mixinStandardHelpOptions = true,
      description = "Have the server sign a proof that TENANT/TASK ran on PLATFORM with MEASUREMENT, and store it.")
  static final class Put implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TENANT/TASK", description = "The task the proof is about.")
    String task;

    @Option(names = "--platform", required = true, paramLabel = "P", description = "Where the work ran, e.g. sgx.")
    String platform;

    @Option(names = "--measurement", required = true, paramLabel = "M",
        description = "The measurement attested, e.g. a hash of the code that ran.")
    String measurement;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      TaskRef ref = TaskRef.parse(task);
      JsonNode proof = client.client(spec).putProof(ref, platform, measurement);
      if (output.json()) {
        OutputOptions.printJson(env.out(), proof);
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (String field : List.of("id", "task_id", "platform", "measurement", "timestamp", "key_id", "signature")) {
          rows.add(List.of(field, proof.path(field).asText("")));
        }
        OutputOptions.printTable(env.out(), rows);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey proof verify}: asks the server about a task's proofs, or checks one proof file offline. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify proofs. With TENANT/TASK: the server checks every proof of the task and this prints each"
          + " with its verdict. With --file and --public-key: checks one proof offline against the node's public key.",
          "Exits 7 when a proof does not verify, 3 when the task has no proofs."})
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TENANT/TASK", description = "The task to ask about.")
    String task;

    @Option(names = "--file", paramLabel = "PROOF.json", description = "A proof, as `grey proof put -o json` prints.")
    Path file;

    @Option(names = "--public-key", paramLabel = "PEM",
        description = "The node's public key (<data dir>/node-ed25519.pub of the server that signed).")
    Path publicKey;

    @Override
    public Integer call() {
      if (file != null || publicKey != null) {
        if (file == null || publicKey == null || task != null) {
          throw new ParameterException(spec.commandLine(),
              "offline verification takes --file and --public-key together, and no TENANT/TASK");
        }
        return offline();
      }
      if (task == null) {
        throw new ParameterException(spec.commandLine(), "give TENANT/TASK, or --file and --public-key");
      }
      return online(TaskRef.parse(task));
    }

    private int online(TaskRef ref) {
      CliEnvironment env = GreyCli.environment(spec);
      JsonNode reply = client.client(spec).proofs(ref);
      JsonNode proofs = reply.path("proofs");
      int failed = 0;
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("ID", "PLATFORM", "MEASUREMENT", "TIMESTAMP", "KEY", "VERIFIED"));
      for (JsonNode p : proofs) {
        boolean verified = p.path("verified").asBoolean(false);
        if (!verified) {
          failed++;
        }
        rows.add(List.of(p.path("id").asText(""), p.path("platform").asText(""), p.path("measurement").asText(""),
            p.path("timestamp").asText(""), p.path("key_id").asText(""), verified ? "yes" : "NO"));
      }
      if (output.json()) {
        OutputOptions.printJson(env.out(), reply);
      } else if (proofs.size() > 0) {
        OutputOptions.printTable(env.out(), rows);
      }
      if (proofs.size() == 0) {
        throw new NotFoundException("no proofs for " + ref);
      }
      if (failed > 0) {
        throw new IntegrityException(failed + " of " + proofs.size() + " proofs of " + ref + " do not verify");
      }
      return ExitCodes.OK;
    }

    private int offline() {
      CliEnvironment env = GreyCli.environment(spec);
      SignedProof proof = SignedProof.fromJson(proofJson(file));
      if (!Files.isRegularFile(publicKey)) {
        throw new NotFoundException("public key " + publicKey + " does not exist");
      }
      PublicKey key = NodeKey.readPublicKey(publicKey);
      ProofVerification verdict = Proofs.verify(proof, key);
      if (output.json()) {
        ObjectNode doc = GreyClient.JSON.createObjectNode()
            .put("file", file.toString())
            .put("id", proof.id())
            .put("task_id", proof.taskId())
            .put("platform", proof.platform())
            .put("measurement", proof.measurement())
            .put("timestamp", proof.timestamp())
            .put("key_id", proof.keyId())
            .put("verified", verdict.valid())
            .put("reason", verdict.reason());
        OutputOptions.printJson(env.out(), doc);
      } else if (verdict.valid()) {
        env.out().println("verified: proof " + proof.id() + " of task " + proof.taskId() + " (platform "
            + proof.platform() + ", measurement " + proof.measurement() + ", key " + proof.keyId() + ")");
        env.out().flush();
      }
      if (!verdict.valid()) {
        throw new IntegrityException("proof " + proof.id() + " in " + file + " does not verify: " + verdict.reason());
      }
      return ExitCodes.OK;
    }

    /** The proof in {@code path}, without the {@code verified} field a server listing adds. */
    private static String proofJson(Path path) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new NotFoundException("proof file " + path + " does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException(new IOException("cannot read " + path + ": " + e.getMessage(), e));
      }
      try {
        JsonNode json = GreyClient.JSON.readTree(text);
        if (json instanceof ObjectNode object && object.has("verified")) {
          object.remove("verified");
          return object.toString();
        }
        return text;
      } catch (JsonProcessingException e) {
        throw new InvalidRequestException("proof file " + path + " is not JSON: " + e.getOriginalMessage(), e);
      }
    }
  }
}
