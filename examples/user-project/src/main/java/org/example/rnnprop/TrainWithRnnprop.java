package org.example.rnnprop;

import java.util.Locale;

/**
 * Trains a small MLP on a synthetic two-class problem with the shipped RNNprop, once in DJL and once in
 * Deeplearning4j, and prints the loss at the start and the end. Exits with status 1 if either run did not
 * lower its loss by a quarter, so a build that runs it notices a plugin that does not train.
 */
public final class TrainWithRnnprop {
    private static final int STEPS = 40;

    private TrainWithRnnprop() {
    }

    public static void main(String[] args) {
        SyntheticData data = SyntheticData.generate(512, 42);
        boolean ok = report("DJL (PyTorch CPU engine)", DjlTraining.train(data, STEPS));
        ok &= report("Deeplearning4j (nd4j-native)", Dl4jTraining.train(data, STEPS));
        System.exit(ok ? 0 : 1);
    }

    private static boolean report(String framework, float[] losses) {
        float first = losses[0];
        float last = losses[losses.length - 1];
        boolean trained = last < 0.75f * first;
        System.out.printf(Locale.ROOT, "%-30s loss %.4f -> %.4f after %d RNNprop steps: %s%n", framework, first,
                last, losses.length, trained ? "trained" : "FAILED to lower the loss by a quarter");
        return trained;
    }
}
