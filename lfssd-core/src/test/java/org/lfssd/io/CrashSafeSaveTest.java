package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves survive the process dying at any moment and a full disk: a child JVM saves repeatedly and is
 * killed with SIGKILL at random points, or saves under a file-size limit; the target must always hold
 * the old or the new complete file.
 */
class CrashSafeSaveTest {
    private static final Logger LOG = System.getLogger(CrashSafeSaveTest.class.getName());
    /** 4 MB of floats per version: large enough that a kill usually lands inside a write. */
    private static final int ELEMENTS = 700_000;
    private static final int TRIALS = 10;

    @TempDir
    Path dir;

    private static ProcessBuilder child(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                RepeatedSaver.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** Regression: kill -9 during repeated saves left the file empty (6 of 10) or partial (4 of 10). */
    @Test
    void killNineAtRandomPointsAlwaysLeavesAWholeFile() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        int killedAfterSomeSaves = 0;
        int killedInsideAWrite = 0;
        List<String> outcomes = new ArrayList<>();
        for (int t = 0; t < TRIALS; t++) {
            final int trial = t;
            Path target = dir.resolve("omega-" + trial + ".safetensors");
            AtomicSaveTest.saveVersion(target, 0, ELEMENTS);
            Process p = child(target.toString(), Integer.toString(ELEMENTS)).start();
            AtomicInteger lastSaved = new AtomicInteger(0);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("saved ")) {
                            lastSaved.set(Integer.parseInt(line.substring(6)));
                        }
                    }
                } catch (IOException ignored) {
                    // the pipe closes when the child is killed
                }
            });
            reader.start();
            // Wait until the child saves for the first time (its start-up varies), then kill it at a random
            // point of its next few saves.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lastSaved.get() == 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "the saver died by itself");
            Thread.sleep(rng.nextInt(300));
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join();
            int printed = lastSaved.get();
            int version = AtomicSaveTest.readVersion(target); // fails on an empty, partial or mixed file
            assertTrue(version == printed || version == printed + 1,
                    "trial " + trial + ": file holds version " + version + " but the child last reported " + printed);
            killedAfterSomeSaves += printed > 0 ? 1 : 0;
            outcomes.add("v" + version + (version == printed ? " (old)" : " (new, saved just before the kill)"));
            try (Stream<Path> files = Files.list(dir)) {
                // A killed save may leave its temporary file; it never replaces or damages the target.
                List<Path> temps = files.filter(f -> f.getFileName().toString().startsWith(".omega-" + trial + ".")).toList();
                temps.forEach(f -> assertTrue(f.getFileName().toString().matches("\\.omega-\\d+\\.safetensors\\.[0-9a-f]+\\.tmp"),
                        "unexpected file " + f));
                killedInsideAWrite += temps.isEmpty() ? 0 : 1;
            }
        }
        assertEquals(TRIALS, killedAfterSomeSaves);
        LOG.log(Level.INFO, "kill -9 trials: " + TRIALS + " (" + killedInsideAWrite + " killed inside a write, leaving a"
                + " temporary file), every target whole: " + outcomes);
    }

    /** Regression: a full disk left a truncated, unreadable file, and the error did not name it. */
    @Test
    void aFullDiskKeepsTheOldFileAndNamesTheTarget() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell for ulimit");
        Path target = dir.resolve("full-disk.safetensors");
        AtomicSaveTest.saveVersion(target, 0, 1000);
        // ulimit -f (in 1024-byte blocks) makes writes past 1 MiB fail with EFBIG, as a full disk fails with
        // ENOSPC; the JVM ignores SIGXFSZ, so the write returns the error.
        String java = String.join(" ", child("--once", target.toString(), Integer.toString(ELEMENTS)).command()
                .stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder("/bin/sh", "-c", "ulimit -f 1024 && exec " + java).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("error: " + target + ": cannot save (the previous file is unchanged)"), out);
        assertEquals(0, AtomicSaveTest.readVersion(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "the temporary file is removed");
        }
    }
}
