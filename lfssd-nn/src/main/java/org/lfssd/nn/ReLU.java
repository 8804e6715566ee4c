package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** {@code max(x, 0)}, no parameters. */
public final class ReLU extends Module {
    @Override
    public Var forward(Var x) {
        return F.relu(x);
    }
}
