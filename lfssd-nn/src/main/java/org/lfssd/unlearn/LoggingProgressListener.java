package org.lfssd.unlearn;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link ProgressListener} that logs progress lines through {@link System.Logger} at INFO, on the logger
 * named {@code org.lfssd.unlearn.LoggingProgressListener}:
 * <pre>
 * importance: 120/782 batches (15%), 7,680 images, 274 images/s, ETA 2m 25s
 * importance: done, 782 batches (50,000 images) in 3m 02s, 274 images/s
 * </pre>
 * The first line comes only once a pass has run for one interval, so short passes log nothing; after that
 * one line per interval and a closing line. Raise the logger's level to WARNING to silence it, or give
 * the unlearner {@link ProgressListener#NONE}.
 *
 * <p>One listener follows one pass at a time (passes run one after another on one thread).
 */
public final class LoggingProgressListener implements ProgressListener {
    private static final Logger LOG = System.getLogger(LoggingProgressListener.class.getName());

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Logger logger;
    private long startNanos;
    private long lastLogNanos;
    private boolean logged;

    /**
     * A listener that logs every {@code interval} on this class's logger.
     *
     * @param interval time between two progress lines, and before the first one; positive
     */
    public LoggingProgressListener(Duration interval) {
        this(interval, System::nanoTime, LOG);
    }

    /** For tests: a given clock (nanoseconds) and logger. */
    LoggingProgressListener(Duration interval, LongSupplier clock, Logger logger) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public void onStart(String phase, long total) {
        startNanos = clock.getAsLong();
        lastLogNanos = startNanos;
        logged = false;
    }

    @Override
    public void onProgress(String phase, long done, long total) {
        // Reached only by a caller that does not know image counts; images/s is then omitted.
        onProgress(phase, done, total, -1);
    }

    @Override
    public void onProgress(String phase, long done, long total, long samplesDone) {
        long now = clock.getAsLong();
        if (now - lastLogNanos < intervalNanos || !logger.isLoggable(Level.INFO)) {
            return;
        }
        lastLogNanos = now;
        logged = true;
        double seconds = (now - startNanos) / 1e9;
        StringBuilder line = new StringBuilder(phase).append(": ");
        if (total > 0) {
            line.append(String.format(Locale.ROOT, "%,d/%,d batches (%d%%)", done, total, 100 * done / total));
        } else {
            line.append(String.format(Locale.ROOT, "%,d batches", done));
        }
        if (samplesDone >= 0) {
            line.append(String.format(Locale.ROOT, ", %,d images, %,.0f images/s", samplesDone, samplesDone / seconds));
        }
        if (total > 0 && done > 0 && done < total) {
            line.append(", ETA ").append(duration(seconds * (total - done) / done));
        }
        logger.log(Level.INFO, line.toString());
    }

    @Override
    public void onFinish(String phase, long batches, long samples, long nanos) {
        if (!logged) {
            return; // a short pass: nothing was logged, and nothing needs closing
        }
        double seconds = nanos / 1e9;
        logger.log(Level.INFO, String.format(Locale.ROOT, "%s: done, %,d batches (%,d images) in %s, %,.0f images/s",
                phase, batches, samples, duration(seconds), samples / seconds));
        logged = false;
    }

    /**
     * A duration as progress lines write it: "42s", "3m 02s" or "1h 05m" (the command line's progress bar
     * uses it too).
     *
     * @param seconds the duration in seconds
     * @return the text
     */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
