package io.grey.cost;

/**
 * Measured quantities of one bucket: byte-seconds stored, requests by class, bytes sent out through the server and
 * bytes written by replication. Mutable accumulator; callers synchronize.
 */
final class Usage {
  long byteSeconds;
  long writes;
  long reads;
  long lists;
  long deletes;
  long egressBytes;
  long replicatedBytes;

  void add(Usage other) {
    byteSeconds += other.byteSeconds;
    writes += other.writes;
    reads += other.reads;
    lists += other.lists;
    deletes += other.deletes;
    egressBytes += other.egressBytes;
    replicatedBytes += other.replicatedBytes;
  }

  boolean isZero() {
    return byteSeconds == 0 && writes == 0 && reads == 0 && lists == 0 && deletes == 0 && egressBytes == 0
        && replicatedBytes == 0;
  }
}
