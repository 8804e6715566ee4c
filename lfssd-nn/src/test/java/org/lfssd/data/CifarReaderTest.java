package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR binary readers on small synthetic files written here (the real sets are never committed). */
class CifarReaderTest {
    @TempDir
    Path dir;

    /** A record: the label bytes, then pixel p of the image = (seed + p) mod 256. */
    private static byte[] record(int seed, int... labels) {
        byte[] r = new byte[labels.length + 3072];
        for (int j = 0; j < labels.length; j++) {
            r[j] = (byte) labels[j];
        }
        for (int p = 0; p < 3072; p++) {
            r[labels.length + p] = (byte) (seed + p);
        }
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test
    void readsCifar10RecordsAsToTensorDoes() throws IOException {
        Path f = Files.write(dir.resolve("a.bin"), concat(record(0, 3), record(100, 9)));
        Path g = Files.write(dir.resolve("b.bin"), record(7, 0));
        Dataset d = Cifar10.read(f, g);
        assertArrayEquals(new int[] {3, 2 + 1, 32, 32}, new int[] {d.labels()[0], d.size(), d.images().size(2), d.images().size(3)});
        assertArrayEquals(new int[] {3, 9, 0}, d.labels());
        // record 1, channel 1 (green), row 2, column 5: pixel index 1024 + 2*32 + 5, value (100 + that) mod 256
        int p = 1024 + 2 * 32 + 5;
        assertEquals(((100 + p) & 0xff) / 255f, d.images().get(1, 1, 2, 5));
        assertEquals((7 & 0xff) / 255f, d.images().get(2, 0, 0, 0));
    }

    @Test
    void readsTheCifar10DirectoryInTheOfficialFileOrder() throws IOException {
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), record(i, i));
        }
        Files.write(dir.resolve("test_batch.bin"), concat(record(0, 8), record(0, 9)));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, Cifar10.fromDirectory(dir, Split.TRAIN).labels());
        assertArrayEquals(new int[] {8, 9}, Cifar10.fromDirectory(dir, Split.TEST).labels());
        Files.delete(dir.resolve("data_batch_4.bin"));
        IOException e = assertThrows(IOException.class, () -> Cifar10.fromDirectory(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains("data_batch_4.bin"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheFileAndTheOffsetOfTheBrokenRecord() throws IOException {
        byte[] two = concat(record(0, 1), record(0, 2));
        Path f = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(two, two.length - 10));
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(f));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("record 1 starting at byte offset 3073"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesRecordAndByteOffset() throws IOException {
        Path f = Files.write(dir.resolve("bad.bin"), concat(record(0, 1), record(0, 10)));
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(f));
        assertTrue(e.getMessage().contains("bad.bin") && e.getMessage().contains("record 1")
                && e.getMessage().contains("byte offset 3073") && e.getMessage().contains("is 10"), e.getMessage());
        Path g = Files.write(dir.resolve("bad100.bin"), concat(record(0, 3, 42), record(0, 2, 100)));
        IOException e2 = assertThrows(IOException.class, () -> Cifar100.read(g));
        assertTrue(e2.getMessage().contains("label byte 1 at byte offset 3075") && e2.getMessage().contains("is 100"),
                e2.getMessage());
    }

    @Test
    void cifar100GivesFineAndCoarseTargetsOverTheSameImages() throws IOException {
        Path f = Files.write(dir.resolve("train.bin"), concat(record(1, 4, 30), record(2, 1, 1), record(3, 4, 55)));
        Cifar100 c = Cifar100.fromDirectory(dir, Split.TRAIN);
        assertEquals(3, c.size());
        assertArrayEquals(new int[] {30, 1, 55}, c.cifar100().labels());
        assertArrayEquals(new int[] {4, 1, 4}, c.cifar20().labels());
        assertArrayEquals(new int[] {30, 1, 55}, c.fineLabels());
        assertEquals(((3 + 10) & 0xff) / 255f, c.cifar20().images().get(2, 0, 0, 10));
        assertTrue(Files.exists(f));
    }

    @Test
    void cifar100RejectsAFineClassInTwoSuperclasses() throws IOException {
        Path f = Files.write(dir.resolve("x.bin"), concat(record(1, 4, 30), record(2, 5, 30)));
        IOException e = assertThrows(IOException.class, () -> Cifar100.read(f));
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("byte offset 3074")
                && e.getMessage().contains("fine class 30"), e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path f = Files.write(dir.resolve("empty.bin"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(f));
        assertTrue(e.getMessage().contains("empty.bin"), e.getMessage());
    }
}
