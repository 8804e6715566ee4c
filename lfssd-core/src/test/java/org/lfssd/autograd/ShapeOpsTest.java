package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class ShapeOpsTest {

    /** [2,3,4] holding 0..23. */
    private static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) {
            t.data()[i] = i;
        }
        return t;
    }

    private static Tensor rand(long seed, int... shape) {
        return Tensor.uniform(new SplittableRandom(seed), -1f, 1f, shape);
    }

    // ------------------------------------------------------------------ reshape, flatten

    @Test
    void reshapeIsAViewWithInferredDimension() {
        Tensor t = iota(2, 3, 4);
        Var r = F.reshape(Var.constant(t), 4, -1);
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertSame(t.data(), r.value().data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.reshape(Var.constant(t), 5, -1));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void flattenMergesTrailingDimensions() {
        Tensor t = iota(2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, F.flatten(Var.constant(t), 1).shape());
        assertArrayEquals(new int[] {24}, F.flatten(Var.constant(t), 0).shape());
        assertArrayEquals(new int[] {2, 3, 4}, F.flatten(Var.constant(t), -1).shape());
        assertArrayEquals(new int[] {1}, F.flatten(Var.constant(Tensor.full(2f)), 0).shape());
        assertSame(t.data(), F.flatten(Var.constant(t), 1).value().data());
        assertThrows(IllegalArgumentException.class, () -> F.flatten(Var.constant(t), 3));
    }

    @Test
    void reshapeAndFlattenGradients() {
        Tensor x = rand(1, 2, 3, 5);
        GradCheck.check("reshape", v -> F.reshape(v[0], 5, -1), x);
        GradCheck.check("flatten", v -> F.flatten(v[0], 1), x);
    }

    // ------------------------------------------------------------------ transpose, permute

    @Test
    void transposeAndPermuteValues() {
        Var x = Var.constant(iota(2, 3));
        Var t = F.transpose(x, 0, 1);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.value().toArray());
        Var y = Var.constant(iota(2, 3, 4));
        Var p = F.permute(y, 2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        // p[k][i][j] = y[i][j][k] = 12i + 4j + k
        assertArrayEquals(new float[] {13, 17, 21}, new float[] {p.value().get(1, 1, 0), p.value().get(1, 1, 1), p.value().get(1, 1, 2)});
        assertThrows(IllegalArgumentException.class, () -> F.permute(y, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> F.permute(y, 0, 1));
    }

    @Test
    void transposeAndPermuteGradients() {
        Tensor x = rand(2, 2, 3, 5);
        GradCheck.check("transpose", v -> F.transpose(v[0], 0, 2), x);
        GradCheck.check("transpose negative dims", v -> F.transpose(v[0], -1, -2), x);
        GradCheck.check("permute", v -> F.permute(v[0], 1, 2, 0), x);
        GradCheck.check("permute negative dims", v -> F.permute(v[0], -1, 0, -2), x);
    }

    // ------------------------------------------------------------------ concat

    @Test
    void concatValuesAlongEachDimension() {
        Var a = Var.constant(iota(2, 2));                               // [[0,1],[2,3]]
        Var b = Var.constant(Tensor.fromArray(new float[] {9, 8}, 1, 2)); // [[9,8]]
        Var c0 = F.concat(0, a, b);
        assertArrayEquals(new int[] {3, 2}, c0.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 9, 8}, c0.value().toArray());
        Var d = Var.constant(Tensor.fromArray(new float[] {7, 6}, 2, 1)); // [[7],[6]]
        Var c1 = F.concat(-1, a, d, a);
        assertArrayEquals(new int[] {2, 5}, c1.shape());
        assertArrayEquals(new float[] {0, 1, 7, 0, 1, 2, 3, 6, 2, 3}, c1.value().toArray());
    }

    @Test
    void concatRejectsMismatchedShapes() {
        Var a = Var.constant(Tensor.zeros(2, 3));
        Var b = Var.constant(Tensor.zeros(2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.concat(0, a, b));
        assertTrue(e.getMessage().contains("concat") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.concat(0, a, Var.constant(Tensor.zeros(6))));
        assertThrows(IllegalArgumentException.class, () -> F.concat(0));
    }

    @Test
    void concatGradients() {
        // ViT's [cls; patches] along the token dimension, and a middle-dimension join of three inputs.
        GradCheck.check("concat tokens", v -> F.concat(1, v[0], v[1]), rand(3, 2, 1, 3), rand(4, 2, 5, 3));
        GradCheck.check("concat middle", v -> F.concat(1, v[0], v[1], v[2]), rand(5, 2, 3, 2), rand(6, 2, 1, 2), rand(7, 2, 2, 2));
        GradCheck.check("concat first", v -> F.concat(0, v[0], v[1]), rand(8, 1, 3), rand(9, 2, 3));
    }

    @Test
    void concatGivesNoGradientToConstants() {
        Var p = Var.param(Tensor.ones(1, 2));
        Var k = Var.constant(Tensor.ones(2, 2));
        F.sum(F.mul(F.concat(0, k, p), Var.constant(iota(3, 2)))).backward();
        assertArrayEquals(new float[] {4, 5}, p.grad().toArray());
        assertTrue(k.grad() == null);
    }

    // ------------------------------------------------------------------ slice, select

    @Test
    void sliceValuesAndViews() {
        Tensor t = iota(3, 4);
        Var x = Var.constant(t);
        Var rows = F.slice(x, 0, 1, 3);
        assertArrayEquals(new int[] {2, 4}, rows.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, rows.value().toArray());
        assertSame(t.data(), rows.value().data()); // contiguous rows: a view
        Var cols = F.slice(x, 1, -3, -1);
        assertArrayEquals(new int[] {3, 2}, cols.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, cols.value().toArray());
        assertArrayEquals(new int[] {3, 0}, F.slice(x, 1, 2, 2).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.slice(x, 1, 2, 5));
        assertTrue(e.getMessage().contains("slice") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.slice(x, 0, 2, 1));
    }

    @Test
    void selectRemovesTheDimension() {
        Var x = Var.constant(iota(2, 3, 4));
        Var cls = F.select(x, 1, 0); // ViT's x[:, 0]
        assertArrayEquals(new int[] {2, 4}, cls.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 12, 13, 14, 15}, cls.value().toArray());
        Var last = F.select(x, -1, -1);
        assertArrayEquals(new int[] {2, 3}, last.shape());
        assertArrayEquals(new float[] {3, 7, 11, 15, 19, 23}, last.value().toArray());
        Var second = F.select(x, 0, 1);
        assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, second.value().toArray());
        assertArrayEquals(new int[0], F.select(Var.constant(iota(3)), 0, 2).shape());
        assertThrows(IllegalArgumentException.class, () -> F.select(x, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> F.select(x, 3, 0));
    }

    @Test
    void sliceAndSelectGradients() {
        Tensor x = rand(10, 3, 5, 2);
        GradCheck.check("slice dim 0", v -> F.slice(v[0], 0, 1, 3), x);
        GradCheck.check("slice dim 1", v -> F.slice(v[0], 1, 1, 4), x);
        GradCheck.check("slice dim -1", v -> F.slice(v[0], -1, 0, 1), x);
        GradCheck.check("select dim 1", v -> F.select(v[0], 1, 0), x);
        GradCheck.check("select dim 0", v -> F.select(v[0], 0, 2), x);
        GradCheck.check("select dim -1", v -> F.select(v[0], -1, 1), x);
    }

    // ------------------------------------------------------------------ expand

    @Test
    void expandValues() {
        Var x = Var.constant(Tensor.fromArray(new float[] {1, 2, 3}, 3, 1));
        Var e = F.expand(x, 2, 3, 2);
        assertArrayEquals(new int[] {2, 3, 2}, e.shape());
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, e.value().toArray());
        assertArrayEquals(new int[] {3, 4}, F.expand(x, -1, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> F.expand(x, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> F.expand(x, 4));
        assertThrows(IllegalArgumentException.class, () -> F.expand(x, -1, 3, 2));
    }

    @Test
    void expandGradients() {
        GradCheck.check("expand column", v -> F.expand(v[0], 2, 3, 4), rand(11, 3, 1));
        GradCheck.check("expand scalar", v -> F.expand(v[0], 2, 3), Tensor.full(0.4f));
        GradCheck.check("expand class token", v -> F.expand(v[0], 3, -1, -1), rand(12, 1, 1, 4));
    }
}
