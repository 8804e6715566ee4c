package org.lfssd.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java code blocks of a Markdown file and the source files they must copy verbatim, so that every
 * snippet a reader sees is compiled by the build (issue 13's "examples that compile").
 *
 * <p>Convention: a {@code ```java} block is preceded by a line
 * {@code <!-- snippet: path/from/repo/root/Foo.java -->} (the whole file) or
 * {@code <!-- snippet: path/Foo.java#name -->} (the lines between {@code // snippet-start name} and
 * {@code // snippet-end name} in that file, with their common indentation removed). The source files live
 * in a module's main or test sources, so the normal build compiles them.
 */
final class MarkdownSnippets {
    private static final String MARKER = "<!-- snippet: ";

    private MarkdownSnippets() {}

    /**
     * One Java block of a Markdown file.
     *
     * @param markdown the file it is in
     * @param line     1-based line of its opening fence
     * @param source   the marker's path (and {@code #region}), or null when the block has no marker
     * @param code     the block's text, lines joined with '\n', no trailing newline
     */
    record Block(Path markdown, int line, String source, String code) {
        /** Where the block is, for failure messages. */
        String where() {
            return markdown.getFileName() + ":" + line;
        }
    }

    /** Every {@code ```java} block of {@code markdown}, with the snippet marker on the line before it, if any. */
    static List<Block> javaBlocks(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            String source = null;
            if (i > 0 && lines.get(i - 1).startsWith(MARKER) && lines.get(i - 1).endsWith(" -->")) {
                String m = lines.get(i - 1);
                source = m.substring(MARKER.length(), m.length() - " -->".length()).strip();
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(markdown + ":" + (i + 1) + ": unclosed ```java block");
            }
            out.add(new Block(markdown, i + 1, source, String.join("\n", lines.subList(i + 1, end))));
            i = end;
        }
        return out;
    }

    /**
     * The text a marker refers to: a whole file, or one region of it, dedented.
     *
     * @param root   the repository root the marker's path is relative to
     * @param source {@code path} or {@code path#region}
     */
    static String expected(Path root, String source) throws IOException {
        int hash = source.indexOf('#');
        Path file = root.resolve(hash < 0 ? source : source.substring(0, hash));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (hash < 0) {
            return String.join("\n", lines).stripTrailing();
        }
        String region = source.substring(hash + 1);
        int start = indexOfTrimmed(lines, "// snippet-start " + region, file);
        int end = indexOfTrimmed(lines, "// snippet-end " + region, file);
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> dedented = new ArrayList<>();
        for (String l : body) {
            dedented.add(l.isBlank() ? "" : l.substring(indent));
        }
        return String.join("\n", dedented).stripTrailing();
    }

    private static int indexOfTrimmed(List<String> lines, String wanted, Path file) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(wanted)) {
                return i;
            }
        }
        throw new IllegalStateException(file + " has no line '" + wanted + "'");
    }
}
