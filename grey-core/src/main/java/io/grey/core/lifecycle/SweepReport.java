package io.grey.core.lifecycle;

import io.grey.core.InvalidRequestException;

/**
 * What one sweep did.
 *
 * @param scanned objects listed under the rules' prefixes (an object under two rules counts twice)
 * @param deleted objects deleted
 * @param bytesFreed the sum of the deleted objects' sizes
 */
public record SweepReport(long scanned, long deleted, long bytesFreed) {
  public SweepReport {
    if (scanned < 0 || deleted < 0 || bytesFreed < 0) {
      throw new InvalidRequestException("sweep counts must not be negative");
    }
  }
}
