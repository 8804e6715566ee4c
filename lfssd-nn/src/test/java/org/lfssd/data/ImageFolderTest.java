package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-folder reader on PNG files written here. */
class ImageFolderTest {
    @TempDir
    Path root;

    private void png(String cls, String name, int w, int h, int rgb) throws IOException {
        Path dir = Files.createDirectories(root.resolve(cls));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x == 1 && y == 2 ? 0x102030 : rgb);
            }
        }
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }

    @Test
    void sortedClassFoldersBecomeLabels() throws IOException {
        png("cat", "b.png", 4, 3, 0xff0000);
        png("cat", "a.png", 4, 3, 0x00ff00);
        png("ant", "z.png", 4, 3, 0x0000ff);
        Files.writeString(root.resolve("cat").resolve("notes.txt"), "ignored");
        ImageFolder f = ImageFolder.read(root, 0);
        assertEquals(List.of("ant", "cat"), f.classNames());
        assertEquals(3, f.data().size());
        assertEquals(List.of(0, 1, 1), java.util.Arrays.stream(f.data().labels()).boxed().toList());
        assertTrue(f.files().get(1).endsWith(Path.of("cat", "a.png")));
        // a.png is green; its pixel (x=1, y=2) is 0x102030.
        assertEquals(1f, f.data().images().get(1, 1, 0, 0));
        assertEquals(0f, f.data().images().get(1, 0, 0, 0));
        assertEquals(0x10 / 255f, f.data().images().get(1, 0, 2, 1));
        assertEquals(0x20 / 255f, f.data().images().get(1, 1, 2, 1));
        assertEquals(0x30 / 255f, f.data().images().get(1, 2, 2, 1));
        assertEquals(3, f.data().images().size(2));
        assertEquals(4, f.data().images().size(3));
    }

    @Test
    void differentSizesNeedAResizeAndCorruptFilesAreNamed() throws IOException {
        png("a", "one.png", 4, 4, 0xffffff);
        png("b", "two.png", 6, 6, 0xffffff);
        IOException e = assertThrows(IOException.class, () -> ImageFolder.read(root, 0));
        assertTrue(e.getMessage().contains("two.png"), e.getMessage());
        ImageFolder f = ImageFolder.read(root, 5);
        assertEquals(5, f.data().images().size(3));
        assertEquals(1f, f.data().images().get(1, 2, 4, 4), 1e-6f);
        Files.write(root.resolve("b").resolve("broken.png"), new byte[] {1, 2, 3, 4});
        IOException e2 = assertThrows(IOException.class, () -> ImageFolder.read(root, 5));
        assertTrue(e2.getMessage().contains("broken.png"), e2.getMessage());
    }
}
