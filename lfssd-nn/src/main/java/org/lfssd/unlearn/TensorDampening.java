package org.lfssd.unlearn;

/**
 * What dampening did to one parameter tensor.
 *
 * @param name      the parameter's name
 * @param elements  its number of scalars
 * @param selected  how many were selected (Ω_f &gt; α·Ω_D) and scaled
 * @param minBeta   the smallest factor β applied, NaN if none was selected
 * @param meanBeta  the mean of the factors applied, NaN if none was selected
 */
public record TensorDampening(String name, long elements, long selected, double minBeta, double meanBeta) {

    /**
     * The selected share, in [0, 1].
     *
     * @return selected / elements
     */
    public double selectedFraction() {
        return elements == 0 ? 0 : selected / (double) elements;
    }
}
