/**
 * RNNprop and DMoptimizer for Deeplearning4j: {@link org.rnnprop.dl4j.Rnnprop} is the {@code IUpdater} to put
 * in a network configuration in place of {@code Adam}; {@link org.rnnprop.dl4j.RnnpropUpdater} runs the core's
 * step kernel on DL4J's own gradient and updater-state arrays.
 */
package org.rnnprop.dl4j;
