package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** Exact (erf) GELU, PyTorch's {@code nn.GELU()} default; no parameters. */
public final class GELU extends Module {
    @Override
    public Var forward(Var x) {
        return F.gelu(x);
    }
}
