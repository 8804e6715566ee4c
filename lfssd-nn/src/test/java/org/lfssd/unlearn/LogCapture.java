package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one {@link System.Logger} logs (System.Logger goes to java.util.logging when no other
 * backend is installed, as in these tests), at every level from {@code level} up, until closed.
 */
final class LogCapture implements AutoCloseable {
    private final Logger jul;
    private final Level previousLevel;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() { }

        @Override
        public void close() { }
    };

    LogCapture(String loggerName, Level level) {
        jul = Logger.getLogger(loggerName);
        previousLevel = jul.getLevel();
        jul.setLevel(level);
        handler.setLevel(level);
        jul.addHandler(handler);
    }

    /** The formatted messages logged at exactly {@code level}, in order. */
    List<String> messages(Level level) {
        synchronized (records) {
            return records.stream().filter(r -> r.getLevel() == level)
                    .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
        }
    }

    @Override
    public void close() {
        jul.removeHandler(handler);
        jul.setLevel(previousLevel);
    }
}
