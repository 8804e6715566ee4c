package org.lfssd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

    private static Tensor iota(int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.fromArray(v, shape);
    }

    @Test
    void factoriesFillAndCopy() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(6, z.numel());
        assertArrayEquals(new float[6], z.toArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(2.5f, 1, 2).toArray());
        float[] src = {1, 2, 3, 4};
        Tensor t = Tensor.fromArray(src, 2, 2);
        src[0] = 99;
        assertEquals(1f, t.get(0, 0), "fromArray copies its input");
        assertEquals(0, Tensor.zeros(0, 5).numel());
        assertEquals(1, Tensor.zeros().numel(), "a rank-0 tensor holds one element");
    }

    @Test
    void wrapSharesTheArrayAtAnOffset() {
        float[] data = {0, 1, 2, 3, 4, 5, 6, 7};
        Tensor t = Tensor.wrap(data, 2, 2, 3);
        assertSame(data, t.data());
        assertEquals(2, t.offset());
        assertEquals(7f, t.get(1, 2));
        t.set(-1f, 0, 0);
        assertEquals(-1f, data[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(data, 3, 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("length 8"), e.getMessage());
    }

    @Test
    void randomFactoriesAreReproducibleAndInRange() {
        Tensor a = Tensor.randn(new SplittableRandom(1), 0f, 1f, 100);
        Tensor b = Tensor.randn(new SplittableRandom(1), 0f, 1f, 100);
        assertArrayEquals(a.toArray(), b.toArray());
        Tensor u = Tensor.uniform(new SplittableRandom(2), -0.5f, 0.25f, 1000);
        for (float v : u.toArray()) {
            assertTrue(v >= -0.5f && v < 0.25f, "uniform sample " + v);
        }
    }

    @Test
    void reshapeIsAViewAndInfersOneDimension() {
        Tensor t = iota(2, 3, 4);
        Tensor r = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, r.shape());
        assertSame(t.data(), r.data());
        r.set(100f, 5, 3);
        assertEquals(100f, t.get(1, 2, 3), "writes through the view land in the original");
        assertArrayEquals(new int[] {24}, t.reshape(-1).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertEquals("reshape: cannot reshape [2, 3, 4] to [5, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertTrue(e.getMessage().startsWith("reshape: more than one -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 5));
        assertEquals("reshape: cannot reshape [2, 3, 4] to [4, 5]", e.getMessage());
    }

    @Test
    void sliceBatchIsAViewOfRows() {
        Tensor t = iota(4, 2, 3);
        Tensor s = t.sliceBatch(1, 3);
        assertArrayEquals(new int[] {2, 2, 3}, s.shape());
        assertEquals(6, s.offset());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, s.toArray());
        s.set(-5f, 0, 0, 0);
        assertEquals(-5f, t.get(1, 0, 0));
        Tensor nested = s.sliceBatch(1, 2);
        assertEquals(12, nested.offset(), "a slice of a slice keeps counting from the array start");
        assertEquals(0, t.sliceBatch(2, 2).numel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.sliceBatch(3, 5));
        assertEquals("sliceBatch: [3, 5) out of range for shape [4, 2, 3]", e.getMessage());
    }

    @Test
    void transposeAndPermuteMatchHandComputedLayouts() {
        Tensor m = iota(2, 3);
        // [[0,1,2],[3,4,5]]^T = [[0,3],[1,4],[2,5]]
        Tensor mt = m.transpose(0, 1);
        assertArrayEquals(new int[] {3, 2}, mt.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, mt.toArray());
        assertArrayEquals(mt.toArray(), m.transpose(-1, -2).toArray());

        Tensor t = iota(2, 3, 4);
        Tensor p = t.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(t.get(i, j, k), p.get(k, i, j));
                }
            }
        }
        // p[1] = t[:, :, 1] = [[1,5,9],[13,17,21]]
        assertArrayEquals(new float[] {1, 5, 9, 13, 17, 21}, p.sliceBatch(1, 2).toArray());
        Tensor view = t.sliceBatch(1, 2).permute(0, 2, 1);
        assertArrayEquals(new float[] {12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23}, view.toArray(),
                "permute of an offset view reads from the view's window");
        assertThrows(IllegalArgumentException.class, () -> t.permute(0, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.permute(0, 1));
        assertTrue(e.getMessage().startsWith("permute:") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.transpose(0, 3));
        assertEquals("transpose: dimension 3 out of range for rank 3", e.getMessage());
    }

    @Test
    void elementwiseArithmeticAndInPlaceUpdates() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.fromArray(new float[] {2, 4, 6, 8}, 2, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, a.add(b).toArray());
        assertArrayEquals(new float[] {-1, -2, -3, -4}, a.sub(b).toArray());
        assertArrayEquals(new float[] {2, 8, 18, 32}, a.mul(b).toArray());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, a.div(b).toArray());
        assertArrayEquals(new float[] {3, 6, 9, 12}, a.mul(3f).toArray());
        assertEquals(10f, a.sum());
        Tensor c = a.copy().addInPlace(b).addScaledInPlace(-0.5f, b).mulInPlace(2f);
        assertArrayEquals(new float[] {4, 8, 12, 16}, c.toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.toArray(), "copy() detached c from a");
        assertEquals(7f, Tensor.full(7f, 1, 1).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(4)));
        assertEquals("add: shape mismatch [2, 2] vs [4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, a::item);
        assertTrue(e.getMessage().startsWith("item: tensor of shape [2, 2]"), e.getMessage());
    }

    @Test
    void arithmeticOnViewsUsesTheirWindow() {
        Tensor t = iota(3, 4);
        Tensor row1 = t.sliceBatch(1, 2);
        Tensor row2 = t.sliceBatch(2, 3);
        assertArrayEquals(new float[] {12, 14, 16, 18}, row1.add(row2).toArray());
        assertEquals(4 + 5 + 6 + 7, row1.sum());
        row1.fill(0f).addInPlace(row2);
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11}, t.toArray());
        row1.copyFrom(Tensor.full(1f, 1, 4));
        assertEquals(1f, t.get(1, 3));
    }

    @Test
    void indexingChecksRankAndBounds() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.set(1f, 0, -1));
        assertEquals(3, t.size(-1));
        assertEquals(2, t.dim());
    }

    @Test
    void shapesBroadcastAndCheck() {
        assertArrayEquals(new int[] {4, 2, 3}, Shapes.broadcast("add", new int[] {4, 1, 3}, new int[] {2, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.broadcast("mul", new int[] {2, 3}, new int[] {4}));
        assertEquals("mul: shape mismatch [2, 3] vs [4]", e.getMessage());
        assertArrayEquals(new int[] {12, 4, 1}, Shapes.strides(new int[] {2, 3, 4}));
        e = assertThrows(IllegalArgumentException.class, () -> Shapes.numel(new int[] {65536, 65536}));
        assertTrue(e.getMessage().contains("2^31"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shapes.numel(new int[] {2, -1}));
    }
}
