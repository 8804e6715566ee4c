package org.lfssd.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child process of {@link CrashSafeSaveTest}: saves versions 1, 2, 3, ... of a file (every element
 * and the metadata say the version) and prints {@code saved N} after each, until it is killed; or, with
 * {@code --once}, saves version 1 once and prints the error if that fails.
 */
public final class RepeatedSaver {
    private RepeatedSaver() {}

    public static void main(String[] args) throws IOException {
        boolean once = args[0].equals("--once");
        Path target = Path.of(args[once ? 1 : 0]);
        int elements = Integer.parseInt(args[once ? 2 : 1]);
        if (once) {
            try {
                AtomicSaveTest.saveVersion(target, 1, elements);
                System.out.println("saved 1");
            } catch (IOException e) {
                System.out.println("error: " + e.getMessage());
                System.exit(3);
            }
            return;
        }
        for (int v = 1; ; v++) {
            AtomicSaveTest.saveVersion(target, v, elements);
            System.out.println("saved " + v);
            System.out.flush();
        }
    }
}
