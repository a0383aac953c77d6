package io.grey.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.NotFoundException;
import io.grey.core.config.EncryptionConfig;
import io.grey.core.config.GreyConfig;
import io.grey.core.crypto.LocalKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grey keys}: the local keyring of key-encryption keys that {@code storage.encryption} wraps every object's
 * data key under. Works on the file directly, offline; a running server reads the new current key on restart.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List or rotate the encryption keyring.",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
final class KeysCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: list or rotate");
  }

  /** The options both subcommands take: the configuration (whose storage.encryption.keyring is used) or a file. */
  static final class KeyringOptions {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--keyring", paramLabel = "FILE",
        description = "Keyring file to use instead of storage.encryption.keyring of the configuration.")
    Path keyring;

    /** The keyring file; a note on stderr when the configuration does not encrypt with it. */
    Path file(CliEnvironment env) {
      GreyConfig config = configOptions.load(env);
      EncryptionConfig encryption = config.storage().encryption();
      Path file = keyring == null ? encryption.keyring() : keyring.toAbsolutePath().normalize();
      if (!encryption.enabled()) {
        env.err().println("note: storage.encryption.enabled is false: the server does not encrypt with " + file);
        env.err().flush();
      }
      return file;
    }
  }

  /** {@code grey keys list}: the key ids of the keyring, oldest first, and which one is current. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the key ids of the keyring (never the keys), oldest first, marking the current one.")
  static final class ListKeys implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    KeyringOptions keyringOptions;
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      Path file = keyringOptions.file(env);
      if (!Files.exists(file)) {
        throw new NotFoundException("no keyring at " + file + "; a server with storage.encryption.enabled creates"
            + " it on its first start, and `grey keys rotate` creates it too");
      }
      LocalKeyring keyring = LocalKeyring.loadOrCreate(file, new SecureRandom());
      if (output.json()) {
        OutputOptions.printJson(env.out(), describe(keyring));
      } else {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("KEY ID", "CURRENT"));
        for (String id : keyring.keyIds()) {
          rows.add(List.of(id, id.equals(keyring.currentKeyId()) ? "yes" : ""));
        }
        OutputOptions.printTable(env.out(), rows);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey keys rotate}: a fresh current key; older keys stay so existing objects remain readable. */
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = {"Add a fresh key-encryption key to the keyring and make it current; older keys stay, so"
          + " objects wrapped under them remain readable. Creates the keyring (0600) if it does not exist.",
          "Existing objects are not re-wrapped. A running server keeps wrapping new objects under the previous key"
              + " until it is restarted."})
  static final class Rotate implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    KeyringOptions keyringOptions;
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      Path file = keyringOptions.file(env);
      boolean created = !Files.exists(file);
      LocalKeyring keyring = LocalKeyring.loadOrCreate(file, new SecureRandom());
      String previous = created ? "" : keyring.currentKeyId();
      String current = created ? keyring.currentKeyId() : keyring.rotate();
      if (output.json()) {
        ObjectNode doc = describe(keyring).put("created", created).put("previous", previous);
        OutputOptions.printJson(env.out(), doc);
      } else if (created) {
        env.out().println("created keyring " + file + " with key " + current);
      } else {
        int older = keyring.keyIds().size() - 1;
        env.out().println("rotated keyring " + file + ": new objects are wrapped under key " + current
            + " (was " + previous + "); " + older + (older == 1 ? " older key is" : " older keys are")
            + " kept, so existing objects stay readable");
      }
      env.out().flush();
      return ExitCodes.OK;
    }
  }

  private static ObjectNode describe(LocalKeyring keyring) {
    ObjectNode doc = GreyClient.JSON.createObjectNode()
        .put("keyring", keyring.file().toString())
        .put("current", keyring.currentKeyId());
    var keys = doc.putArray("keys");
    keyring.keyIds().forEach(keys::add);
    return doc;
  }
}
