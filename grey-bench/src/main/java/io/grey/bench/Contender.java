package io.grey.bench;

import java.io.OutputStream;

/** One way of storing and reading back a payload, measured against the others in the same run. */
interface Contender extends AutoCloseable {

  /** A short label, printed in the results table. */
  String label();

  /** Stores {@code payload} under {@code name}, durably. */
  void put(String name, byte[] payload) throws Exception;

  /** Reads {@code name} back completely into {@code sink}; returns the byte count. */
  long get(String name, OutputStream sink) throws Exception;

  @Override
  default void close() throws Exception {}
}
