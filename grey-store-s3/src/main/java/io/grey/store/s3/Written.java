package io.grey.store.s3;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.core.SdkResponse;

/**
 * What S3 answered to a completed write: the new ETag and the time of the answer (its HTTP {@code Date}), which
 * stands in for the last-modified time when the object was replaced before the store could read it back.
 */
record Written(String etag, Optional<Instant> answeredAt) {

  static Written of(String etag, SdkResponse response) {
    Optional<Instant> date = response.sdkHttpResponse().firstMatchingHeader("Date").flatMap(Written::parseDate);
    return new Written(etag, date);
  }

  private static Optional<Instant> parseDate(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
