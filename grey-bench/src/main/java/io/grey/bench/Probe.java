package io.grey.bench;

import java.util.List;

/**
 * One piece of work measured on its own to explain a gap between a Grey contender and its raw baseline.
 *
 * @param label the row label
 * @param explains the operations whose gap this probe accounts for, as {@code "<contender> <put|get>"}
 * @param instead whether Grey does this instead of the baseline's request (its cost is the difference to the
 *     baseline's median, named by {@code baseline}) rather than in addition to it (its cost is its own median)
 * @param baseline the baseline operation the probe is compared with
 * @param action the work, run once per timed operation
 */
record Probe(String label, List<String> explains, boolean instead, String baseline, Action action) {

  /** The work of a probe. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /** Work Grey does in addition to what the baseline does. */
  static Probe added(String label, String baseline, Action action, String... explains) {
    return new Probe(label, List.of(explains), false, baseline, action);
  }

  /** A transfer Grey makes instead of the baseline's. */
  static Probe instead(String label, String baseline, Action action, String... explains) {
    return new Probe(label, List.of(explains), true, baseline, action);
  }
}
