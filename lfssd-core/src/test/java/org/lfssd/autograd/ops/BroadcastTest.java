package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

class BroadcastTest {

    // ------------------------------------------------------------------ forward, hand-computed

    @Test
    void columnPlusRowGivesOuterSum() {
        Tensor a = Tensor.fromArray(new float[] {1, 2}, 2, 1);
        Tensor b = Tensor.fromArray(new float[] {10, 20, 30}, 3);
        Tensor out = Broadcast.apply(BinaryOp.ADD, a, b);
        assertArrayEquals(new int[] {2, 3}, out.shape());
        assertArrayEquals(new float[] {11, 21, 31, 12, 22, 32}, out.toArray());
    }

    @Test
    void scalarShapedLeftOperandBroadcastsEverywhere() {
        Tensor a = Tensor.fromArray(new float[] {5}, new int[0]);
        Tensor b = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor out = Broadcast.apply(BinaryOp.SUB, a, b);
        assertArrayEquals(new int[] {2, 2}, out.shape());
        assertArrayEquals(new float[] {4, 3, 2, 1}, out.toArray());
    }

    @Test
    void rowVectorDividesEveryRow() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromArray(new float[] {1, 2, 4}, 3);
        assertArrayEquals(new float[] {1, 1, 0.75f, 4, 2.5f, 1.5f}, Broadcast.apply(BinaryOp.DIV, a, b).toArray());
    }

    @Test
    void bothOperandsBroadcastInDifferentDimensions() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor b = Tensor.fromArray(new float[] {1, 2, 3}, 3, 1);
        Tensor out = Broadcast.apply(BinaryOp.MUL, a, b);
        assertArrayEquals(new int[] {2, 3, 2}, out.shape());
        assertArrayEquals(new float[] {1, 2, 2, 4, 3, 6, 3, 4, 6, 8, 9, 12}, out.toArray());
    }

    @Test
    void channelOperandScalesEachPlane() {
        // [1,2,2,2] * [2,1,1]: the first channel's plane times 10, the second's times -1.
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        Tensor c = Tensor.fromArray(new float[] {10, -1}, 2, 1, 1);
        assertArrayEquals(new float[] {10, 20, 30, 40, -5, -6, -7, -8}, Broadcast.apply(BinaryOp.MUL, x, c).toArray());
        assertArrayEquals(new float[] {9, 8, 7, 6, -6, -7, -8, -9}, Broadcast.apply(BinaryOp.SUB, c, x).toArray());
    }

    @Test
    void operandsThatAreViewsAreReadAtTheirOffset() {
        Tensor big = Tensor.fromArray(new float[] {0, 0, 1, 2, 3, 4, 5, 6}, 4, 2);
        Tensor rows = big.sliceBatch(1, 4); // [[1,2],[3,4],[5,6]]
        Tensor bias = Tensor.fromArray(new float[] {9, 9, 100, 200}, 4).reshape(2, 2).sliceBatch(1, 2).reshape(2);
        assertArrayEquals(new float[] {101, 202, 103, 204, 105, 206}, Broadcast.apply(BinaryOp.ADD, rows, bias).toArray());
    }

    @Test
    void incompatibleShapesNameTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Broadcast.apply(BinaryOp.ADD, Tensor.zeros(2, 3), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"),
                e.getMessage());
    }

    @Test
    void forwardMatchesNaiveIndexingOnManyShapePairs() {
        int[][][] pairs = {
            {{3, 1, 5}, {4, 5}}, {{2, 3}, {3}}, {{}, {2, 3}}, {{2, 3}, {}}, {{2, 1, 3, 1}, {1, 4, 1, 5}},
            {{5, 1}, {1, 7}}, {{2, 3, 4, 5}, {3, 1, 1}}, {{1, 1, 6}, {4, 1, 1}}, {{7}, {1}}, {{1}, {1, 1}},
        };
        SplittableRandom rng = new SplittableRandom(1);
        for (int[][] p : pairs) {
            for (BinaryOp op : BinaryOp.values()) {
                Tensor a = Tensor.uniform(rng, 0.5f, 2f, p[0]);
                Tensor b = Tensor.uniform(rng, 0.5f, 2f, p[1]);
                assertArrayEquals(naive(op, a, b).toArray(), Broadcast.apply(op, a, b).toArray(),
                        op + " " + Shapes.str(p[0]) + " " + Shapes.str(p[1]));
                assertArrayEquals(naive(op, b, a).toArray(), Broadcast.apply(op, b, a).toArray(),
                        op + " " + Shapes.str(p[1]) + " " + Shapes.str(p[0]));
            }
        }
    }

    // ------------------------------------------------------------------ expand

    @Test
    void expandRepeatsSizeOneAndLeadingDimensions() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3, 1);
        Tensor out = Broadcast.expand(x, new int[] {2, 3, 2});
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, out.toArray());
        Tensor row = Tensor.fromArray(new float[] {1, 2}, 2);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, Broadcast.expand(row, new int[] {3, 2}).toArray());
        assertArrayEquals(new float[] {7, 7, 7, 7}, Broadcast.expand(Tensor.full(7f), new int[] {2, 2}).toArray());
        assertSame(x, Broadcast.expand(x, new int[] {3, 1}));
    }

    @Test
    void expandRejectsShapesItCannotReach() {
        assertThrows(IllegalArgumentException.class, () -> Broadcast.expand(Tensor.zeros(3, 2), new int[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> Broadcast.expand(Tensor.zeros(2, 3), new int[] {3}));
    }

    // ------------------------------------------------------------------ unbroadcast, hand-computed

    @Test
    void unbroadcastSumsLeadingAndSizeOneDimensions() {
        Tensor g = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {5, 7, 9}, Broadcast.unbroadcast(g, new int[] {3}).toArray());
        assertArrayEquals(new float[] {5, 7, 9}, Broadcast.unbroadcast(g, new int[] {1, 3}).toArray());
        Tensor rowSums = Broadcast.unbroadcast(g, new int[] {2, 1});
        assertArrayEquals(new int[] {2, 1}, rowSums.shape());
        assertArrayEquals(new float[] {6, 15}, rowSums.toArray());
        Tensor total = Broadcast.unbroadcast(g, new int[0]);
        assertEquals(0, total.dim());
        assertEquals(21f, total.item());
        assertArrayEquals(new int[] {1, 1}, Broadcast.unbroadcast(g, new int[] {1, 1}).shape());
        assertEquals(21f, Broadcast.unbroadcast(g, new int[] {1, 1}).item());
    }

    @Test
    void unbroadcastOfAThreeDimensionalGradient() {
        // g[i][j][k] = 100i + 10j + k over [2,3,2]
        float[] v = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) {
                    v[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        Tensor g = Tensor.fromArray(v, 2, 3, 2);
        // to [3,1]: sum over i and k: 2*(0+100) + 2*2*10j + 2*(0+1) = 202 + 40j
        assertArrayEquals(new float[] {202, 242, 282}, Broadcast.unbroadcast(g, new int[] {3, 1}).toArray());
        // to [2,1,2]: sum over j: 300i + 30 + 3k
        assertArrayEquals(new float[] {30, 33, 330, 333}, Broadcast.unbroadcast(g, new int[] {2, 1, 2}).toArray());
        // to [2,1,1]: sum over j,k: 600i + 60 + 3
        assertArrayEquals(new float[] {63, 663}, Broadcast.unbroadcast(g, new int[] {2, 1, 1}).toArray());
    }

    @Test
    void unbroadcastReturnsTheGradientItselfForEqualShapes() {
        Tensor g = Tensor.zeros(2, 3);
        assertSame(g, Broadcast.unbroadcast(g, new int[] {2, 3}));
    }

    @Test
    void unbroadcastRejectsShapesThatDoNotBroadcastToTheGradient() {
        Tensor g = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Broadcast.unbroadcast(g, new int[] {4}));
        assertTrue(e.getMessage().contains("unbroadcast") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"));
        assertThrows(IllegalArgumentException.class, () -> Broadcast.unbroadcast(g, new int[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Broadcast.unbroadcast(g, new int[] {2}));
    }

    @Test
    void unbroadcastMatchesNaiveSummationOnManyShapes() {
        int[][][] cases = {
            {{2, 3, 4, 5}, {3, 1, 1}}, {{2, 3, 4, 5}, {1, 5}}, {{2, 3, 4, 5}, {2, 1, 4, 1}}, {{2, 3, 4, 5}, {}},
            {{2, 3, 4, 5}, {2, 3, 1, 1}}, {{2, 3, 4, 5}, {1, 3, 4, 1}}, {{7, 1, 9}, {1, 1, 9}}, {{7, 1, 9}, {7, 1, 1}},
        };
        SplittableRandom rng = new SplittableRandom(2);
        for (int[][] c : cases) {
            Tensor g = Tensor.uniform(rng, -1f, 1f, c[0]);
            Tensor got = Broadcast.unbroadcast(g, c[1]);
            Tensor want = naiveUnbroadcast(g, c[1]);
            assertArrayEquals(c[1], got.shape());
            assertArrayEquals(want.toArray(), got.toArray(), 1e-5f, Shapes.str(c[0]) + " -> " + Shapes.str(c[1]));
        }
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void largeBroadcastsAndReductionsAreBitIdenticalForOneAndTwoThreads() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 16, 8, 32, 32); // 131072 elements: several parallel chunks
        Tensor channel = Tensor.uniform(rng, -1f, 1f, 8, 1, 1);
        int[][] targets = {{8, 1, 1}, {32, 32}, {16, 1, 1, 1}, {}, {16, 8, 1, 32}};
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] one = runAll(x, channel, targets);
            Parallel.setThreads(2);
            Tensor[] two = runAll(x, channel, targets);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i].toArray(), two[i].toArray(), "result " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static Tensor[] runAll(Tensor x, Tensor channel, int[][] targets) {
        Tensor[] out = new Tensor[targets.length + 2];
        out[0] = Broadcast.apply(BinaryOp.MUL, x, channel);
        out[1] = Broadcast.expand(channel, x.shape());
        for (int i = 0; i < targets.length; i++) {
            out[i + 2] = Broadcast.unbroadcast(x, targets[i]);
        }
        return out;
    }

    // ------------------------------------------------------------------ naive references

    /** Broadcasting by explicit index arithmetic, one output element at a time. */
    static Tensor naive(BinaryOp op, Tensor a, Tensor b) {
        int[] os = Shapes.broadcast("naive", a.shape(), b.shape());
        Tensor out = Tensor.zeros(os);
        int[] idx = new int[os.length];
        for (int i = 0; i < out.numel(); i++) {
            unravel(i, os, idx);
            float x = a.get(project(idx, a.shape()));
            float y = b.get(project(idx, b.shape()));
            float r;
            switch (op) {
                case ADD: r = x + y; break;
                case SUB: r = x - y; break;
                case MUL: r = x * y; break;
                default: r = x / y; break;
            }
            out.data()[i] = r;
        }
        return out;
    }

    /** Sums each gradient element into the target element it broadcast from, in double. */
    static Tensor naiveUnbroadcast(Tensor g, int[] target) {
        double[] acc = new double[Shapes.numel(target)];
        int[] gs = g.shape();
        int[] idx = new int[gs.length];
        int[] ts = Shapes.strides(target);
        for (int i = 0; i < g.numel(); i++) {
            unravel(i, gs, idx);
            int[] t = project(idx, target);
            int flat = 0;
            for (int d = 0; d < t.length; d++) {
                flat += t[d] * ts[d];
            }
            acc[flat] += g.data()[g.offset() + i];
        }
        float[] f = new float[acc.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) acc[i];
        }
        return Tensor.fromArray(f, target);
    }

    private static void unravel(int flat, int[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    /** The index into a broadcast operand of {@code shape} that output index {@code idx} reads. */
    private static int[] project(int[] idx, int[] shape) {
        int lead = idx.length - shape.length;
        int[] p = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            p[d] = shape[d] == 1 ? 0 : idx[lead + d];
        }
        return p;
    }
}
