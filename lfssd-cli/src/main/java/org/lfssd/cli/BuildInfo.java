package org.lfssd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The tool's version and, when known, the git commit it was built from. */
final class BuildInfo implements IVersionProvider {
    private static final Properties PROPS = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("lfssd-cli.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unknown version and commit are reported as such.
        }
        return p;
    }

    static String version() {
        String v = PROPS.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /** From the build ({@code -Dgit.commit=...}), else the launcher's {@code -Dlfssd.git.commit}, else null. */
    static String gitCommit() {
        String c = PROPS.getProperty("git.commit", "");
        if (c.isEmpty() || c.startsWith("${")) {
            c = System.getProperty("lfssd.git.commit", "");
        }
        return c.isBlank() ? null : c.trim();
    }

    @Override
    public String[] getVersion() {
        String c = gitCommit();
        return new String[] {"lfssd " + version() + (c == null ? "" : " (commit " + c + ")"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
