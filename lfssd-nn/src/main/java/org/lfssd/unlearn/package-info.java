/**
 * Machine unlearning by selective synaptic dampening: {@link org.lfssd.unlearn.Unlearner} with the label-free
 * {@link org.lfssd.unlearn.Method#LFSSD} (default) and {@link org.lfssd.unlearn.Method#SSD}.
 *
 * <p>The default settings reproduce the authors' code exactly: importances from the batch-mean loss per
 * mini-batch, in eval mode, averaged over batches ({@link org.lfssd.unlearn.Reduction#REFERENCE}); selection
 * {@code Ω_f > α·Ω_D}; dampening {@code θ ← min(λ·Ω_D/Ω_f, 1)·θ}. {@link org.lfssd.unlearn.Importance} carries
 * Ω with its provenance (method, reduction, counts, weight fingerprint) so that a stored Ω_D is never applied
 * to a model it does not describe; {@link org.lfssd.unlearn.DampeningReport} says what was changed.
 */
package org.lfssd.unlearn;
