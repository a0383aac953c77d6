package io.grey.cli;

/** How a read command prints its result: aligned text for people, or one JSON document for programs. */
enum OutputFormat {
  /** Human-readable lines and columns. */
  TABLE,
  /** One JSON document on stdout; errors still go to stderr. */
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
