package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.lfssd.autograd.Var;
import org.lfssd.models.ResNet18;
import org.junit.jupiter.api.Test;

class ModuleTreeTest {

    @Test
    void aSmallMlpPrintsAsTheJavadocShows() {
        SplittableRandom rng = new SplittableRandom(0);
        Sequential mlp = new Sequential(new Linear(8, 32, rng), new ReLU(), new Linear(32, 10, rng));
        assertEquals("""
                Sequential(  618 parameters
                  (0): Linear(weight=[32, 8], bias=[32])  288 parameters
                  (1): ReLU()
                  (2): Linear(weight=[10, 32], bias=[10])  330 parameters
                )""", mlp.toString());
    }

    @Test
    void nestedModulesAreIndentedAndCountedWithTheirChildren() {
        String tree = new ResNet18(10, new SplittableRandom(0)).toString();
        String[] lines = tree.split("\n");
        assertEquals("ResNet18(  11,173,962 parameters", lines[0]);
        assertEquals("  (conv1): Sequential(  1,856 parameters", lines[1]);
        assertEquals("    (0): Conv2d(weight=[64, 3, 3, 3])  1,728 parameters", lines[2]);
        assertEquals("    (1): BatchNorm2d(weight=[64], bias=[64])  128 parameters", lines[3]);
        assertEquals("    (2): ReLU()", lines[4]);
        assertEquals("  )", lines[5]);
        assertEquals(")", lines[lines.length - 1]);
        assertTrue(tree.contains("\n  (fc): Linear(weight=[10, 512], bias=[10])  5,130 parameters\n"), tree);
    }

    @Test
    void aContainersOwnParametersAndAnAnonymousModuleAreNamed() {
        Module m = new Module() {
            private final Var scale = registerParameter("scale", org.lfssd.tensor.Tensor.ones(3));
            private final Module inner = registerModule("inner", new ReLU());

            @Override
            public Var forward(Var x) {
                return inner.forward(x);
            }
        };
        assertEquals("""
                Module(  3 parameters
                  (scale): [3]
                  (inner): ReLU()
                )""", m.toString());
    }
}
