/**
 * Internal to rnnprop-java, not API: the step as DJL NDArray operations ({@link org.rnnprop.djl.internal.NdStep}
 * on a network arranged by {@link org.rnnprop.djl.internal.NdNetwork}), which the DJL optimizer runs and which
 * the project's tasks and meta-training differentiate. It may change in any release; users need only
 * {@link org.rnnprop.djl.RnnpropOptimizer}.
 */
package org.rnnprop.djl.internal;
