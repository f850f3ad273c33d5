/**
 * Internal to rnnprop-java, not API: file and build plumbing shared by the project's modules (atomic writes,
 * the code version for provenance) and the activations its hand-written kernels share (the tanh coefficients,
 * their Vector API versions). It may change in any release.
 */
package org.rnnprop.core.internal;
