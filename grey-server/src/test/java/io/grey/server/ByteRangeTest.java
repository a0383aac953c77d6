package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.store.ReadRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and resolving a single-range Range header. */
class ByteRangeTest {

  @Test
  void closedRangeIsClippedToTheObject() {
    assertThat(ByteRange.parse("bytes=5-99").resolve(10)).as("bytes=5-99 of 10 bytes").isEqualTo(ReadRange.of(5, 5));
  }

  @Test
  void suffixRangeLongerThanTheObjectIsTheWholeObject() {
    assertThat(ByteRange.parse("bytes=-50").resolve(10)).as("bytes=-50 of 10 bytes").isEqualTo(ReadRange.of(0, 10));
  }

  @Test
  void rangeStartingAtTheEndIsNotSatisfiable() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=10-").resolve(10)).as("bytes=10- of 10 bytes")
        .isInstanceOf(RangeNotSatisfiableException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=", "bytes=-", "bytes=3-1", "items=0-1", "bytes=0-1,4-5", "bytes=-0",
      "bytes=99999999999999999999-"})
  void unsupportedOrMalformedHeadersAreInvalidRequests(String header) {
    assertThatThrownBy(() -> ByteRange.parse(header)).as("Range: %s", header)
        .isInstanceOf(InvalidRequestException.class);
  }
}
