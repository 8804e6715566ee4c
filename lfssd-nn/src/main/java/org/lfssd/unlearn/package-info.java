/**
 * Machine unlearning by selective synaptic dampening: {@link org.lfssd.unlearn.Unlearner} with the label-free
 * {@link org.lfssd.unlearn.Method#LFSSD} (default) and {@link org.lfssd.unlearn.Method#SSD}.
 *
 * <p>The algorithm in two steps, each in one class (ALGORITHM.md §2 and §3):
 * <pre>
 *   importance (ImportancePass)   Ω_S = (1/|B(S)|) · Σ_{b ∈ B(S)} h(∇θ L_b)
 *                                 LFSSD: L_b = mean_{x ∈ b} ‖f(x)‖²₂,  h = |·|
 *                                 SSD:   L_b = mean_{(x,y) ∈ b} CE(f(x), y),  h = (·)²
 *   selection (Dampener)          selected  iff  Ω_f &gt; Ω_D · α
 *   dampening (Dampener)          θ ← θ · min(Ω_D · λ / Ω_f, 1)     for the selected θ only
 * </pre>
 * Ω_D is computed on the full training set D (once, after training) and Ω_f on the forget set D_f.
 *
 * <p>The default settings reproduce the authors' code exactly: importances from the batch-mean loss per
 * mini-batch, in eval mode, averaged over batches ({@link org.lfssd.unlearn.Reduction#REFERENCE}), every
 * trainable parameter, never buffers. {@link org.lfssd.unlearn.Importance} carries Ω with its provenance
 * (method, reduction, counts, weight fingerprint) so that a stored Ω_D is never applied to a model it does
 * not describe; {@link org.lfssd.unlearn.DampeningReport} says what was changed.
 */
package org.lfssd.unlearn;
