package org.lfssd.nn;

import org.lfssd.autograd.Var;

/**
 * Children named {@code "0"}, {@code "1"}, ... applied in order ({@code nn.Sequential}). An empty
 * Sequential is the identity (ResNet's shortcut when shapes do not change).
 */
public final class Sequential extends Module {
    private int size;

    /**
     * A Sequential of {@code modules}, in order.
     *
     * @param modules the children, named 0, 1, ...
     */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Appends {@code m} under the next index; returns this.
     *
     * @param m the module to append
     * @return this
     */
    public Sequential add(Module m) {
        registerModule(Integer.toString(size), m);
        size++;
        return this;
    }

    /** {@return the number of children} */
    public int size() {
        return size;
    }

    /**
     * The child at {@code index}.
     *
     * @param index 0-based
     * @return the child
     */
    public Module get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " out of range for size " + size);
        }
        return children().get(Integer.toString(index));
    }

    @Override
    public Var forward(Var x) {
        Var y = x;
        for (Module m : children().values()) {
            y = m.forward(y);
        }
        return y;
    }
}
