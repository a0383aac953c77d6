package io.grey.store.s3;

import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables the contract behaviours that s3proxy's nio2 back ends cannot show, each with the server-side reason.
 * They are limits of the test server, not of S3 or of the store: AWS S3 keeps keys flat, lists in UTF-8 byte
 * order, evaluates If-Match atomically and serves each GET from one version.
 */
final class S3ProxyLimits implements ExecutionCondition {
  private static final String FOLDER = "s3proxy's nio2 stores keep each object as a file, so a key cannot also be"
      + " the folder of another key (putting a/b/c next to a/b answers HTTP 500)";
  private static final Map<String, String> DISABLED = Map.of(
      "keyThatIsAFolderOfAnotherKeyCoexistsWithIt", FOLDER,
      "prefixEndingInSlashSelectsOnlyThatFolder", FOLDER,
      "prefixIsAPlainStringPrefixIncludingSiblingsThatExtendIt", FOLDER,
      "deleteLeavesNeighbouringKeysAlone", FOLDER,
      "thousandKeysAreListedInCodePointOrderAcrossPagesOfSeveralSizes", FOLDER + " (k1 next to k1/deep)",
      "unicodeKeysAreListedInCodePointOrder",
      "s3proxy lists keys in UTF-16 order (Java String order), S3 in UTF-8 byte order: U+1D11E comes before U+FF5A",
      "sixteenRacersOnIfVersionFromTheSameVersionHaveExactlyOneWinner",
      "s3proxy emulates If-Match on its nio2 stores with a metadata read then a write, which is not atomic"
          + " (several racers win); If-None-Match: * is native there and its race is checked",
      "readersDuringOverwritesSeeTheOldOrTheNewBodyNeverAMix",
      "s3proxy's nio2 GET reads an object's metadata and its bytes separately, so a read during an overwrite can"
          + " pair the new bytes with the old SHA-256; the store detects that pairing with IntegrityException");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = context.getTestMethod().map(Method::getName).map(DISABLED::get).orElse(null);
    return reason == null
        ? ConditionEvaluationResult.enabled("s3proxy shows this behaviour")
        : ConditionEvaluationResult.disabled(reason);
  }
}
