package dev.vigil.backup;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Streams that report the bytes passed through them about every megabyte, for progress bars. */
final class Metered {
  private static final long STEP = 1 << 20;

  private Metered() {
  }

  /** {@code out}, reporting the bytes written. */
  static OutputStream out(OutputStream out, LongConsumer report) {
    return new FilterOutputStream(out) {
      private long count;
      private long next = STEP;

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        add(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        add(len);
      }

      private void add(long n) {
        count += n;
        if (count >= next) {
          next = count + STEP;
          report.accept(count);
        }
      }
    };
  }

  /** {@code in}, reporting the bytes read. */
  static InputStream in(InputStream in, LongConsumer report) {
    return new FilterInputStream(in) {
      private long count;
      private long next = STEP;

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          add(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          add(n);
        }
        return n;
      }

      private void add(long n) {
        count += n;
        if (count >= next) {
          next = count + STEP;
          report.accept(count);
        }
      }
    };
  }

  /** {@code in} with a {@code close()} that does nothing (the caller closes the underlying stream). */
  static InputStream unclosable(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // the owner of the underlying stream closes it
      }
    };
  }
}
