package org.lfssd.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;

class FashionMnistTest {

    @Test
    void embeddedSubsetHasTheDocumentedSizesAndClassCounts() throws IOException {
        Dataset train = FashionMnist.embedded(FashionMnist.Split.TRAIN);
        Dataset test = FashionMnist.embedded(FashionMnist.Split.TEST);
        assertArrayEquals(new int[] {3000, 1, 28, 28}, train.images().shape());
        assertArrayEquals(new int[] {1000, 1, 28, 28}, test.images().shape());
        assertArrayEquals(new int[] {282, 321, 290, 312, 303, 300, 298, 312, 287, 295}, train.classCounts(10));
        assertArrayEquals(new int[] {107, 105, 111, 93, 115, 87, 97, 95, 95, 95}, test.classCounts(10));
        float[] px = train.images().toArray();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void embeddedSubsetIsThePrefixOfTheFullSet() throws IOException {
        Path full = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(full), "Debian's dataset-fashion-mnist is not installed");
        Dataset whole = FashionMnist.fromDirectory(full, FashionMnist.Split.TEST);
        Dataset embedded = FashionMnist.embedded(FashionMnist.Split.TEST);
        assertEquals(10000, whole.size());
        Dataset prefix = whole.first(1000);
        assertArrayEquals(prefix.labels(), embedded.labels());
        assertArrayEquals(prefix.images().toArray(), embedded.images().toArray());
    }
}
