package io.grey.cli;

import picocli.CommandLine.Option;

/** Whether a transfer draws a progress bar on stderr. */
final class TransferOptions {
  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no informational lines on stderr.")
  boolean quiet;

  @Option(names = "--progress",
      description = "Draw the progress bar even when stderr is not a terminal (it is drawn for transfers over 8 MiB).")
  boolean progress;

  /** Whether a transfer of {@code size} bytes (negative when unknown) shows a bar, given where stderr goes. */
  boolean showsBar(long size, boolean stderrIsTerminal) {
    if (quiet || !(progress || stderrIsTerminal)) {
      return false;
    }
    return size < 0 ? progress : size > Progress.THRESHOLD;
  }
}
