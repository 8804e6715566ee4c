package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Batches;
import org.lfssd.tensor.Tensor;

/** The default progress listener: silent for short passes, then a line per interval with rate and ETA. */
class LoggingProgressListenerTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void logsBatchesImagesPerSecondAndEtaOncePerInterval() {
        AtomicLong now = new AtomicLong(0);
        String name = "org.lfssd.test.progress";
        LoggingProgressListener l = new LoggingProgressListener(Duration.ofSeconds(5), now::get, System.getLogger(name));
        try (LogCapture log = new LogCapture(name, Level.ALL)) {
            l.onStart("importance", 100);
            for (int b = 1; b <= 100; b++) {
                now.addAndGet(SECOND / 2); // 0.5 s per batch of 64 images: 128 images/s
                l.onProgress("importance", b, 100, 64L * b);
            }
            l.onFinish("importance", 100, 6400, now.get());
            List<String> lines = log.messages(Level.INFO);
            assertEquals(11, lines.size(), lines.toString()); // after 5 s, 10 s, ..., 50 s, and the closing line
            assertEquals("importance: 10/100 batches (10%), 640 images, 128 images/s, ETA 45s", lines.get(0));
            assertEquals("importance: 20/100 batches (20%), 1,280 images, 128 images/s, ETA 40s", lines.get(1));
            assertEquals("importance: 100/100 batches (100%), 6,400 images, 128 images/s", lines.get(9));
            assertEquals("importance: done, 100 batches (6,400 images) in 50s, 128 images/s", lines.get(10));
        }
    }

    @Test
    void aShortPassLogsNothing() {
        AtomicLong now = new AtomicLong(0);
        String name = "org.lfssd.test.progress.short";
        LoggingProgressListener l = new LoggingProgressListener(Duration.ofSeconds(5), now::get, System.getLogger(name));
        try (LogCapture log = new LogCapture(name, Level.ALL)) {
            l.onStart("importance", -1);
            for (int b = 1; b <= 9; b++) {
                now.addAndGet(SECOND / 2);
                l.onProgress("importance", b, -1, 8L * b);
            }
            l.onFinish("importance", 9, 72, now.get());
            assertEquals(List.of(), log.messages(Level.INFO));
        }
    }

    @Test
    void unknownTotalsOmitPercentAndEta() {
        AtomicLong now = new AtomicLong(0);
        String name = "org.lfssd.test.progress.unknown";
        LoggingProgressListener l = new LoggingProgressListener(Duration.ofSeconds(1), now::get, System.getLogger(name));
        try (LogCapture log = new LogCapture(name, Level.ALL)) {
            l.onStart("forget-set importance", -1);
            now.addAndGet(90 * SECOND);
            l.onProgress("forget-set importance", 3, -1, 24);
            assertEquals(List.of("forget-set importance: 3 batches, 24 images, 0 images/s"), log.messages(Level.INFO));
        }
        assertEquals("3m 05s", LoggingProgressListener.duration(185));
        assertEquals("2h 01m", LoggingProgressListener.duration(7260));
    }

    @Test
    void theUnlearnerReportsStartImagesAndFinishToItsListener() {
        StringBuilder events = new StringBuilder();
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void onStart(String phase, long total) {
                events.append("start ").append(phase).append(' ').append(total).append('\n');
            }

            @Override
            public void onProgress(String phase, long done, long total) {
                throw new AssertionError("the four-argument form is called");
            }

            @Override
            public void onProgress(String phase, long done, long total, long samplesDone) {
                events.append(done).append('/').append(total).append(' ').append(samplesDone).append('\n');
            }

            @Override
            public void onFinish(String phase, long batches, long samples, long nanos) {
                events.append("finish ").append(batches).append(' ').append(samples).append(nanos > 0 ? " timed" : "");
            }
        };
        Batches data = new Batches(Tensor.randn(new SplittableRandom(1), 0f, 1f, 20, 6), new int[20], 8);
        Unlearner.lfssd().progress(recorder).build().importance(TinyMlp.random(new SplittableRandom(2), 6, 5, 3), data);
        assertEquals("start importance 3\n1/3 8\n2/3 16\n3/3 20\nfinish 3 20 timed", events.toString());
    }

    @Test
    void theDefaultListenerLogsOnItsOwnLogger() {
        assertTrue(ProgressListener.logging() instanceof LoggingProgressListener);
    }
}
