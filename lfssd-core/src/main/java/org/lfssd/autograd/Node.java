package org.lfssd.autograd;

/** The record an op leaves on the tape: its name, its inputs and its backward. Released after backward. */
final class Node {
    final String op;
    private Var[] inputs;
    private BackwardFn backward;

    Node(String op, Var[] inputs, BackwardFn backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    Var[] inputs() {
        if (inputs == null) {
            throw released();
        }
        return inputs;
    }

    BackwardFn backward() {
        if (backward == null) {
            throw released();
        }
        return backward;
    }

    boolean isReleased() {
        return backward == null;
    }

    /** Drops the inputs and the closure (and with it every tensor the op saved for backward). */
    void release() {
        inputs = null;
        backward = null;
    }

    private IllegalStateException released() {
        return new IllegalStateException("backward through '" + op + "' whose graph was already released by an"
                + " earlier backward(); run the forward pass again");
    }
}
