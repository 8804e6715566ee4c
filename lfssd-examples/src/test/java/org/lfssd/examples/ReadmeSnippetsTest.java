package org.lfssd.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in the README and in docs/*.md is a verbatim copy of a source
 * file that the build compiles; see {@link MarkdownSnippets} for the marker convention.
 */
class ReadmeSnippetsTest {
    /** Surefire runs in the module directory; the repository root is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        Path docs = ROOT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.walk(docs)) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void everyJavaBlockCopiesACompiledSourceVerbatim() throws IOException {
        int checked = 0;
        for (Path md : markdownFiles()) {
            for (MarkdownSnippets.Block b : MarkdownSnippets.javaBlocks(md)) {
                assertNotNull(b.source(), b.where() + ": a ```java block without a '<!-- snippet: path -->' line before"
                        + " it; put the code in a compiled source file and reference it");
                assertEquals(MarkdownSnippets.expected(ROOT, b.source()), b.code(),
                        b.where() + " differs from " + b.source() + "; copy the source into the Markdown verbatim");
                checked++;
            }
        }
        assertTrue(checked >= 1, "the README's usage example is checked");
    }

    @Test
    void theReadmeShowsTheQuickStartWhole() throws IOException {
        List<MarkdownSnippets.Block> blocks = MarkdownSnippets.javaBlocks(ROOT.resolve("README.md"));
        assertTrue(blocks.stream().anyMatch(b ->
                "lfssd-examples/src/main/java/org/lfssd/examples/QuickStart.java".equals(b.source())));
    }

    @Test
    void regionsAreCutAndDedented(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("A.java"), "class A {\n    void f() {\n        // snippet-start body\n"
                + "        int x = 1;\n\n        x++;\n        // snippet-end body\n    }\n}\n");
        assertEquals("int x = 1;\n\nx++;", MarkdownSnippets.expected(dir, "A.java#body"));
        assertEquals("class A {\n    void f() {\n        // snippet-start body\n        int x = 1;\n\n        x++;\n"
                + "        // snippet-end body\n    }\n}", MarkdownSnippets.expected(dir, "A.java"));
        Files.writeString(dir.resolve("doc.md"), "text\n<!-- snippet: A.java#body -->\n```java\nint x = 1;\n\nx++;\n```\n"
                + "```java\nunmarked();\n```\n");
        List<MarkdownSnippets.Block> blocks = MarkdownSnippets.javaBlocks(dir.resolve("doc.md"));
        assertEquals(2, blocks.size());
        assertEquals("A.java#body", blocks.get(0).source());
        assertEquals(3, blocks.get(0).line());
        assertEquals("int x = 1;\n\nx++;", blocks.get(0).code());
        assertFalse(blocks.get(1).source() != null);
    }
}
