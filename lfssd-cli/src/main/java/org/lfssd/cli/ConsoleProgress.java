package org.lfssd.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.lfssd.unlearn.LoggingProgressListener;
import org.lfssd.unlearn.ProgressListener;

/**
 * Progress of long passes on stderr. On a terminal: one bar rewritten in place,
 * {@code importance [=========>          ] 45% 120/264 batches, 274 images/s, ETA 25s}. Elsewhere (logs, CI,
 * pipes): one such line every interval (default 5 s) once a pass runs that long, and a closing line.
 *
 * <p>Written here rather than taken from a progress-bar library: the one maintained Java bar
 * (me.tongfei:progressbar) brings JLine for terminal handling, about 1 MB, for what is one formatted line,
 * and it would still need this adapter from the library's {@link ProgressListener} callbacks.
 */
final class ConsoleProgress implements ProgressListener {
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long start;
    private long last;
    private boolean printed;

    ConsoleProgress(PrintWriter err, boolean terminal, long intervalNanos, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** The listener for a command: silent with {@code --quiet}, a bar on a console, timed lines otherwise. */
    static ProgressListener forCommand(CommonOptions common, PrintWriter err) {
        if (common.quiet) {
            return ProgressListener.NONE;
        }
        return new ConsoleProgress(err, interactive(), (long) (common.progressSeconds * 1e9), System::nanoTime);
    }

    /**
     * Whether the JVM runs on a terminal. Java cannot ask about stderr alone; a console means stdin and stdout
     * are a terminal, which is when a bar on stderr is seen. From JDK 22 {@code System.console()} exists even
     * when redirected, and {@code Console.isTerminal()} (called reflectively: this is Java 17 bytecode) tells.
     */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console is only present on a terminal
        }
    }

    @Override
    public void onStart(String phase, long total) {
        start = clock.getAsLong();
        last = start;
        printed = false;
    }

    @Override
    public void onProgress(String phase, long done, long total) {
        onProgress(phase, done, total, -1);
    }

    @Override
    public void onProgress(String phase, long done, long total, long images) {
        long now = clock.getAsLong();
        if (terminal) {
            if (now - last < 100_000_000L && done != total) {
                return; // at most ten redraws a second
            }
            last = now;
            printed = true;
            err.print("\r" + line(phase, done, total, images, now) + "\u001b[K");
            err.flush();
        } else if (now - last >= intervalNanos) {
            last = now;
            printed = true;
            err.println(line(phase, done, total, images, now));
            err.flush();
        }
    }

    @Override
    public void onFinish(String phase, long batches, long samples, long nanos) {
        if (!printed) {
            return;
        }
        double s = nanos / 1e9;
        String done = String.format(Locale.ROOT, "%s: done, %,d batches (%,d images) in %s, %,.0f images/s", phase,
                batches, samples, LoggingProgressListener.duration(s), samples / Math.max(s, 1e-9));
        err.println(terminal ? "\r" + done + "\u001b[K" : done);
        err.flush();
        printed = false;
    }

    String line(String phase, long done, long total, long images, long now) {
        double seconds = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder(phase).append(' ');
        if (total > 0) {
            int filled = (int) (BAR_WIDTH * done / total);
            sb.append('[').append("=".repeat(filled)).append(filled < BAR_WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1))).append(']');
            sb.append(String.format(Locale.ROOT, " %3d%% %,d/%,d batches", 100 * done / total, done, total));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d batches", done));
        }
        if (images >= 0 && seconds > 0) {
            sb.append(String.format(Locale.ROOT, ", %,.0f images/s", images / seconds));
        }
        if (total > 0 && done > 0 && done < total) {
            sb.append(", ETA ").append(LoggingProgressListener.duration(seconds * (total - done) / done));
        }
        return sb.toString();
    }
}
