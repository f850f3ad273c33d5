package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.rnnprop.datasets.LabeledImages;

/** An optimizee that classifies images: its logits, hence its accuracy on examples it did not train on. */
public interface ImageClassifier extends Task {

    /** Examples per forward pass when measuring accuracy. */
    int ACCURACY_CHUNK = 500;

    /** Values per image the network reads (channels * height * width). */
    int imageSize();

    /**
     * The logits at {@code theta}.
     *
     * @param images [n, channels * height * width], in the layout of {@link LabeledImages#images()}
     * @return [n, classes], on the manager of {@code theta}
     */
    NDArray logits(NDArray theta, NDArray images);

    /**
     * The fraction of {@code examples} whose largest logit at {@code theta} is their label (forward passes of
     * {@link #ACCURACY_CHUNK} examples; temporaries freed as it goes).
     *
     * @throws IllegalArgumentException if the examples have another image size than the task was made for
     */
    default double accuracy(NDArray theta, LabeledImages examples) {
        int size = examples.imageSize();
        if (size != imageSize() || examples.numExamples() == 0) {
            throw new IllegalArgumentException("accuracy needs examples of " + imageSize() + " values each, got "
                    + examples.numExamples() + " of " + size);
        }
        float[] all = examples.images();
        int correct = 0;
        for (int from = 0; from < examples.numExamples(); from += ACCURACY_CHUNK) {
            int to = Math.min(examples.numExamples(), from + ACCURACY_CHUNK);
            float[] chunk = new float[(to - from) * size];
            System.arraycopy(all, from * size, chunk, 0, chunk.length);
            try (NDManager m = theta.getManager().newSubManager()) {
                theta.tempAttach(m);
                NDArray x = m.create(chunk, new Shape(to - from, size)).toDevice(theta.getDevice(), false);
                long[] predicted = logits(theta, x).argMax(1).toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == examples.label(from + i) ? 1 : 0;
                }
            }
        }
        return correct / (double) examples.numExamples();
    }
}
