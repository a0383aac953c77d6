package io.grey.cost;

import io.grey.core.ConfigException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * The prices of one storage class of one cloud in one region, in the catalog's currency. A GB is 2^30 bytes and
 * a month is 730 hours, as the clouds bill.
 *
 * @param cloud aws, gcp, azure or local (or any name an operator adds)
 * @param region the region the prices are for
 * @param storageClass the storage class, upper case (STANDARD, STANDARD_IA, GLACIER, NEARLINE, HOT, ...)
 * @param storageGbMonth storage per GB-month
 * @param writePer1000 write requests (put, copy, set tags) per 1,000
 * @param readPer1000 read requests (get, head) per 1,000
 * @param listPer1000 list requests per 1,000
 * @param deletePer1000 delete requests per 1,000
 * @param retrievalGb retrieval per GB read (infrequent-access and archive classes)
 * @param egressGb transfer out to the internet per GB
 * @param interRegionGb transfer to another region of the same cloud per GB
 * @param interCloudGb transfer to another cloud per GB
 * @param source where the prices come from (a URL, or a note for estimates)
 * @param date when they were taken from the source (ISO date)
 */
public record PriceRow(String cloud, String region, String storageClass, BigDecimal storageGbMonth,
                       BigDecimal writePer1000, BigDecimal readPer1000, BigDecimal listPer1000,
                       BigDecimal deletePer1000, BigDecimal retrievalGb, BigDecimal egressGb,
                       BigDecimal interRegionGb, BigDecimal interCloudGb, String source, String date) {

  /** @throws ConfigException if a name is blank or a price is negative */
  public PriceRow {
    cloud = name("cloud", cloud).toLowerCase(Locale.ROOT);
    region = name("region", region);
    storageClass = name("storage_class", storageClass).toUpperCase(Locale.ROOT);
    for (BigDecimal price : new BigDecimal[] {storageGbMonth, writePer1000, readPer1000, listPer1000,
        deletePer1000, retrievalGb, egressGb, interRegionGb, interCloudGb}) {
      Objects.requireNonNull(price, "price");
      if (price.signum() < 0) {
        throw new ConfigException("price of " + cloud + "/" + storageClass + " must not be negative: " + price);
      }
    }
    source = name("source", source);
    date = name("date", date);
  }

  /** Whether this row is for {@code cloud}'s {@code storageClass} (case-insensitive). */
  boolean matches(String otherCloud, String otherClass) {
    return cloud.equalsIgnoreCase(otherCloud) && storageClass.equalsIgnoreCase(otherClass);
  }

  private static String name(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException("price row: " + what + " must not be empty");
    }
    return value.strip();
  }
}
