package io.grey.cli;

import io.grey.core.AccessDeniedException;
import io.grey.core.ConfigException;
import io.grey.core.GreyException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidKeyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.ProviderNotAvailableException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.UnauthenticatedException;

/**
 * The exit codes of the {@code grey} command and the one place that maps Grey errors, local or received from the
 * server as a JSON {@code code}, to them. Stateless and thread-safe.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** An unexpected failure: a bug or a local I/O error. */
  public static final int INTERNAL = 1;
  /** The command line or a configuration file is wrong. */
  public static final int USAGE = 2;
  /** The artifact, proof or file named does not exist. */
  public static final int NOT_FOUND = 3;
  /** A conditional write lost: {@code --if-absent} on an existing artifact, or a stale {@code --if-version}. */
  public static final int PRECONDITION_FAILED = 4;
  /** No or a wrong token, or a token of another tenant. */
  public static final int ACCESS_DENIED = 5;
  /** The server or the store behind it cannot be reached or is busy; retrying later may work. */
  public static final int UNAVAILABLE = 6;
  /** Bytes, a signature or the audit chain do not verify. */
  public static final int INTEGRITY = 7;
  /** A key or a request the server refuses as malformed (bad tenant, task, name, range or limit). */
  public static final int INVALID = 8;

  /** The table shown in {@code grey --help} and in docs/cli.md. */
  static final String TABLE = """
      Exit codes:
        0  ok
        1  internal error
        2  usage or configuration error
        3  not found
        4  precondition failed (a conditional write lost)
        5  unauthenticated or access denied
        6  store or server unavailable
        7  integrity mismatch (bytes, signature or audit chain)
        8  invalid key or request""";

  private ExitCodes() {}

  /** The exit code for {@code error}; every Grey error kind has exactly one. */
  public static int of(GreyException error) {
    return switch (error) {
      case NotFoundException e -> NOT_FOUND;
      case PreconditionFailedException e -> PRECONDITION_FAILED;
      case UnauthenticatedException e -> ACCESS_DENIED;
      case AccessDeniedException e -> ACCESS_DENIED;
      case StoreUnavailableException e -> UNAVAILABLE;
      case ThrottledException e -> UNAVAILABLE;
      case IntegrityException e -> INTEGRITY;
      case ConfigException e -> USAGE;
      case ProviderNotAvailableException e -> USAGE;
      case InvalidKeyException e -> INVALID;
      case InvalidRequestException e -> INVALID;
      case RangeNotSatisfiableException e -> INVALID;
    };
  }

  /**
   * The Grey error a server reply stands for: by its JSON {@code code} when it is one Grey knows, else by the
   * HTTP status.
   */
  public static GreyException fromServer(int status, String code, String message) {
    String text = message.isBlank() ? "HTTP " + status : message;
    return switch (code) {
      case "not_found" -> new NotFoundException(text);
      case "precondition_failed" -> new PreconditionFailedException(text);
      case "invalid_key" -> new InvalidKeyException(text);
      case "invalid_request" -> new InvalidRequestException(text);
      case "range_not_satisfiable" -> new RangeNotSatisfiableException(text);
      case "access_denied" -> new AccessDeniedException(text);
      case "unauthenticated" -> new UnauthenticatedException(text);
      case "store_unavailable" -> new StoreUnavailableException(text);
      case "throttled" -> new ThrottledException(text);
      case "integrity_mismatch" -> new IntegrityException(text);
      case "config_error" -> new ConfigException(text);
      case "provider_not_available" -> new ProviderNotAvailableException(text);
      default -> fromStatus(status, text);
    };
  }

  private static GreyException fromStatus(int status, String text) {
    return switch (status) {
      case 401 -> new UnauthenticatedException(text);
      case 403 -> new AccessDeniedException(text);
      case 404 -> new NotFoundException(text);
      case 409, 412 -> new PreconditionFailedException(text);
      case 416 -> new RangeNotSatisfiableException(text);
      case 429 -> new ThrottledException(text);
      default -> status >= 500
          ? new StoreUnavailableException("server error " + status + ": " + text)
          : new InvalidRequestException(text);
    };
  }

  /** The one-line form of {@code error} for stderr, for example {@code not found: artifacts/acme/t1/x}. */
  static String describe(GreyException error) {
    return error.code().replace('_', ' ') + ": " + error.getMessage();
  }
}
