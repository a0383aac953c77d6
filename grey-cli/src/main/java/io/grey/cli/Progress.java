package io.grey.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for one transfer, in MiB, or nothing when the bar is off. Counting is thread-safe;
 * {@link #close()} finishes the bar's line.
 */
final class Progress implements AutoCloseable {
  /** Transfers larger than this show a bar: 8 MiB. */
  static final long THRESHOLD = 8L * 1024 * 1024;
  private static final int WIDTH = 80;

  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar titled {@code task} for {@code size} bytes (negative: unknown), or a silent one when {@code show} is false. */
  static Progress start(String task, long size, boolean show, PrintStream err) {
    if (!show) {
      return new Progress(null);
    }
    // A fixed width keeps the bar library from probing a terminal that stderr may not be.
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(size < 0 ? -1 : size)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit("MiB", 1024 * 1024)
        .setUpdateIntervalMillis(200)
        .showSpeed()
        .setConsumer(new ConsoleProgressBarConsumer(err, WIDTH))
        .build();
    return new Progress(bar);
  }

  /** {@code in}, counting what is read from it on the bar. */
  InputStream track(InputStream in) {
    if (bar == null) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bar.step();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          bar.stepBy(n);
        }
        return n;
      }
    };
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
