package org.rnnprop.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the golden fixtures under {@code core/src/test/resources}. Rerun only when the specification changes:
 * <pre>mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.rnnprop.core.GoldenFixtureGenerator</pre>
 */
public final class GoldenFixtureGenerator {
    /** Seed of the fixture's weights. */
    static final long WEIGHT_SEED = 2017;
    static final int COORDINATES = 64;
    static final int STEPS = 6;

    private GoldenFixtureGenerator() {
    }

    /**
     * Gradients that exercise every branch: zeros (whole coordinates and single steps), magnitudes from 1e-10
     * to 1e6, constant, alternating and random signs.
     */
    static float[][] gradients(long seed) {
        Random rnd = new Random(seed);
        float[][] g = new float[STEPS][COORDINATES];
        for (int i = 0; i < COORDINATES; i++) {
            double magnitude = Math.pow(10, -10 + 16.0 * i / (COORDINATES - 1));
            for (int t = 0; t < STEPS; t++) {
                double v;
                switch (i % 4) {
                    case 0 -> v = magnitude; // constant
                    case 1 -> v = (t % 2 == 0 ? 1 : -1) * magnitude; // alternating
                    case 2 -> v = magnitude * rnd.nextGaussian(); // random
                    default -> v = (t == 2 ? 0 : magnitude * (1 + 0.5 * rnd.nextGaussian())); // a zero step
                }
                g[t][i] = i % 16 == 7 ? 0f : (float) v; // some coordinates always zero
            }
        }
        return g;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "core/src/test/resources/org/rnnprop/core/golden");
        Files.createDirectories(dir);
        for (OptimizerKind kind : OptimizerKind.values()) {
            OptimizerWeights w = SpecInitialization.create(kind, WEIGHT_SEED);
            WeightFile.write(w, dir.resolve(kind.id() + "-weights.json"));
            GoldenFixture f = GoldenFixture.compute(w, gradients(WEIGHT_SEED + 1));
            new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve(kind.id() + "-golden.json").toFile(), f.toJson());
            System.out.println("wrote " + kind.id() + " fixture to " + dir);
        }
    }
}
