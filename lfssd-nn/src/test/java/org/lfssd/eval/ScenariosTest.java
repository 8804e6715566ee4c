package org.lfssd.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;
import org.lfssd.tensor.Tensor;

/** The three splits on tiny data sets whose single pixel is the sample's index, so order can be read off. */
class ScenariosTest {

    /** n samples, pixel = index + offset, labels as given. */
    private static Dataset data(int offset, int... labels) {
        float[] px = new float[labels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = i + offset;
        }
        return new Dataset(Tensor.wrap(px, 0, labels.length, 1, 1, 1), labels);
    }

    private static int[] ids(Dataset d) {
        float[] v = d.images().toArray();
        return IntStream.range(0, v.length).map(i -> (int) v[i]).toArray();
    }

    @Test
    void fullClassKeepsOrderAndPutsTheForgetSetLastInD() {
        Dataset train = data(0, 0, 2, 1, 2, 0, 2);
        Dataset test = data(100, 2, 0, 2);
        ForgettingSplit s = Scenarios.fullClass(train, test, 3, 2);
        assertArrayEquals(new int[] {1, 3, 5}, ids(s.forgetTrain()));
        assertArrayEquals(new int[] {0, 2, 4}, ids(s.retainTrain()));
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, ids(s.full()));
        assertArrayEquals(new int[] {100, 102}, ids(s.forgetTest()));
        assertArrayEquals(new int[] {101}, ids(s.retainTest()));
        assertArrayEquals(new int[] {100, 101, 102}, ids(s.test()));
        assertEquals(0.5, s.forgetFraction());
        assertThrows(IllegalArgumentException.class, () -> Scenarios.fullClass(train, test, 3, 3));
    }

    @Test
    void subClassSelectsByFineLabelAndKeepsTheSuperclassTarget() {
        Dataset train = data(0, 4, 4, 1, 4);          // superclasses
        int[] trainFine = {30, 55, 1, 30};            // fine classes 30 and 55 are both in superclass 4
        Dataset test = data(100, 4, 4);
        int[] testFine = {55, 30};
        ForgettingSplit s = Scenarios.subClass(train, trainFine, test, testFine, 20, 30);
        assertArrayEquals(new int[] {0, 3}, ids(s.forgetTrain()));
        assertArrayEquals(new int[] {4, 4}, s.forgetTrain().labels(), "still labelled with the superclass");
        assertArrayEquals(new int[] {1, 2}, ids(s.retainTrain()));
        assertArrayEquals(new int[] {101}, ids(s.forgetTest()));
        assertArrayEquals(new int[] {100}, ids(s.retainTest()));
        assertArrayEquals(new int[] {1, 2, 0, 3}, ids(s.full()));
    }

    @Test
    void randomSplitFollowsTorchsCountRuleAndIsSeeded() {
        assertEquals(83, Scenarios.randomForgetCount(50_000, 0.00165), "floor(82.5) + the one left over");
        assertEquals(3, Scenarios.randomForgetCount(10, 0.25), "floor(2.5) = 2, floor(7.5) = 7, 1 left over");
        assertEquals(2, Scenarios.randomForgetCount(10, 0.2));
        int[] labels = new int[200];
        Dataset train = data(0, labels);
        Dataset test = data(1000, 0, 0);
        ForgettingSplit a = Scenarios.random(train, test, 2, 0.05, 7);
        ForgettingSplit b = Scenarios.random(train, test, 2, 0.05, 7);
        ForgettingSplit c = Scenarios.random(train, test, 2, 0.05, 8);
        assertEquals(10, a.forgetTrain().size());
        assertArrayEquals(ids(a.forgetTrain()), ids(b.forgetTrain()));
        assertNotEquals(Arrays.toString(ids(a.forgetTrain())), Arrays.toString(ids(c.forgetTrain())));
        int[] all = ids(a.full());
        Arrays.sort(all);
        assertArrayEquals(IntStream.range(0, 200).toArray(), all, "a partition of the training set");
        assertArrayEquals(ids(a.forgetTrain()), Arrays.copyOfRange(ids(a.full()), 190, 200), "D ends with D_f");
        assertArrayEquals(ids(a.forgetTrain()), ids(a.forgetTest()), "forget-test is the forget-train samples");
        assertArrayEquals(ids(test), ids(a.retainTest()), "retain-test is the full test set");
    }
}
