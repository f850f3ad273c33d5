package org.rnnprop.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.tasks.CnnTask;
import org.rnnprop.tasks.ImageTaskOptions;
import org.rnnprop.tasks.LstmSineTask;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.ParameterInit;

/**
 * The specification's test list (docs/SPEC.md §4), in the paper's order, then the tests beyond the paper's
 * ({@link Experiment.Group#BEYOND}): networks, initialisations and horizons that users run.
 */
public final class Experiments {
    /** The test that hosts the control experiment: the base MLP with ReLU, 100 steps. */
    public static final String CONTROL = "mnist-relu-100";
    /** Batch size of every test. */
    public static final int BATCH = 128;
    /** Hidden units of every MLP layer. */
    public static final int HIDDEN = 20;

    /** Minibatches in one epoch of the MNIST training set at {@link #BATCH}, the last one smaller (96 examples). */
    public static final int MNIST_BATCHES_PER_EPOCH = ImageTaskOptions.of(BATCH).batchesPerEpoch(Mnist.TRAIN_SIZE);
    /** The LeNet-5 test: 2 epochs of the MNIST training set. */
    public static final String LENET5 = "lenet5-mnist-2epochs";

    private static final Map<String, Experiment> ALL;

    static {
        List<Experiment> l = new ArrayList<>();
        int[] horizon = {100, 2_000, 10_000};
        int[] horizonRate = {-10, -12, -14};
        for (int i = 0; i < horizon.length; i++) {
            Experiment e = mlp("mnist-sigmoid-" + horizon[i], "base MLP (sigmoid), " + horizon[i] + " steps",
                    Experiment.Group.HORIZON, horizon[i], MlpTask.Act.SIGMOID, 1, horizonRate[i]);
            // The long horizons also run the horizon-aware RNNprop, which does not change their other results.
            l.add(horizon[i] < 2_000 ? e : withProtocol(e, e.protocol().withCosine()));
        }
        l.add(mlp(CONTROL, "base MLP with ReLU, 100 steps", Experiment.Group.ACTIVATION, 100, MlpTask.Act.RELU, 1,
                -11));
        l.add(mlp("mnist-elu-100", "base MLP with ELU, 100 steps", Experiment.Group.ACTIVATION, 100, MlpTask.Act.ELU, 1,
                -11));
        l.add(mlp("mnist-tanh-100", "base MLP with tanh, 100 steps", Experiment.Group.ACTIVATION, 100, MlpTask.Act.TANH,
                1, -13));
        int[] depthRate = {0, 0, -10, -10, -12, -12, -12, -13, -22, -21, -21};
        for (int layers = 2; layers <= 10; layers++) {
            l.add(mlp("mnist-layers-" + layers + "-100", layers + " hidden layers of 20 sigmoid, 100 steps",
                    Experiment.Group.DEPTH, 100, MlpTask.Act.SIGMOID, layers, depthRate[layers]));
        }
        l.add(cnn("cnn-mnist-ccpf-100", "CNN " + CnnTask.CCPF + " on MNIST, 100 steps", Experiment.Dataset.MNIST,
                CnnTask.CCPF, -12));
        l.add(cnn("cnn-mnist-ccpccpff-100", "CNN " + CnnTask.CCPCCPFF + " on MNIST, 100 steps",
                Experiment.Dataset.MNIST, CnnTask.CCPCCPFF, -15));
        l.add(cnn("cnn-cifar-ccpf-100", "CNN " + CnnTask.CCPF + " on CIFAR-10 (x/255 - 0.5), 100 steps",
                Experiment.Dataset.CIFAR10, CnnTask.CCPF, -14));
        l.add(lstm("lstm-sine-100", "LSTM 20 on noisy sines (noise 0.1), 100 steps", 1, 0.1, Baseline.ADAGRAD, -2));
        l.add(lstm("lstm-sine-2layers-100", "2-layer LSTM 20 on noisy sines (noise 0.1), 100 steps", 2, 0.1,
                Baseline.ADAM, -11));
        l.add(lstm("lstm-sine-smallnoise-100", "LSTM 20 on noisy sines (noise 0.01), 100 steps", 1, 0.01,
                Baseline.ADAM, -10));
        l.addAll(beyondThePaper());
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : l) {
            m.put(e.id(), e);
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private Experiments() {
    }

    /** Every test, in the paper's order. */
    public static List<Experiment> all() {
        return List.copyOf(ALL.values());
    }

    /** The test of that name. */
    public static Experiment byId(String id) {
        Experiment e = ALL.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no test '" + id + "'; tests: " + String.join(", ", ALL.keySet()));
        }
        return e;
    }

    /**
     * The tests named by {@code patterns}, in the paper's order: each pattern is a test name, or a prefix
     * ending in {@code *} (e.g. {@code mnist-layers-*}).
     */
    public static List<Experiment> select(List<String> patterns) {
        List<Experiment> out = new ArrayList<>();
        for (String p : patterns) {
            boolean prefix = p.endsWith("*");
            String stem = prefix ? p.substring(0, p.length() - 1) : p;
            List<Experiment> hits = ALL.values().stream()
                    .filter(e -> prefix ? e.id().startsWith(stem) : e.id().equals(stem)).toList();
            if (hits.isEmpty()) {
                byId(p); // throws with the list of names
            }
            out.addAll(hits);
        }
        return all().stream().filter(out::contains).toList();
    }

    /**
     * The tests beyond the paper's. Run counts: 20 comparison runs (4 tuning runs per rate) for the cheap
     * 1,000- and 2,000-step MLP and LSTM tests; 10 (2) for the 5,000-step MLP and LeNet-5; 10 (1) for the
     * 2,000-step CNN, whose baselines alone cost about 5 minutes a run, and for which the tuning grid, like
     * LeNet-5's, starts at 5 points instead of 9 (it widens until the best rate is inside either way).
     */
    private static List<Experiment> beyondThePaper() {
        ImageTaskOptions framework = ImageTaskOptions.of(BATCH).withInit(ParameterInit.XAVIER_NORMAL);
        List<Experiment> l = new ArrayList<>();
        int[] reluSteps = {1_000, 5_000};
        int[] reluRate = {-12, -14};
        for (int i = 0; i < reluSteps.length; i++) {
            int steps = reluSteps[i];
            l.add(beyond("mnist-relu128-" + steps, String.format(Locale.ROOT, "MLP 784-128-10 ReLU, DL4J's default "
                    + "initialisation, %,d steps", steps), steps, Experiment.Dataset.MNIST, 1, reluRate[i],
                    protocol(steps >= 5_000 ? 10 : 20, steps >= 5_000 ? 2 : 4, 4, false, framework),
                    (data, m) -> new MlpTask(data, m, 128, 1, MlpTask.Act.RELU, framework)));
        }
        ImageTaskOptions epochs = framework.withBatching(ImageTaskOptions.Batching.EPOCHS);
        l.add(beyond(LENET5, "LeNet-5 (" + CnnTask.LENET5 + "), DL4J's default initialisation, 2 epochs of "
                + "shuffled MNIST, test accuracy", 2 * MNIST_BATCHES_PER_EPOCH, Experiment.Dataset.MNIST, 0, -20,
                protocol(10, 2, 2, true, epochs), (data, m) -> new CnnTask(data, m, CnnTask.LENET5, epochs)));
        ImageTaskOptions spec = ImageTaskOptions.of(BATCH);
        l.add(beyond("cnn-mnist-ccpccpff-2000", "CNN " + CnnTask.CCPCCPFF + " on MNIST, 2,000 steps", 2_000,
                Experiment.Dataset.MNIST, 0, -16, protocol(10, 1, 2, false, spec),
                (data, m) -> new CnnTask(data, m, CnnTask.CCPCCPFF, spec)));
        l.add(beyond("lstm-sine-2000", "LSTM 20 on noisy sines (noise 0.1), 2,000 steps", 2_000,
                Experiment.Dataset.NONE, 0, -14, protocol(20, 4, 4, false, spec),
                (data, m) -> LstmSineTask.of(1, LstmSineTask.DEFAULT_NOISE)));
        return l;
    }

    /**
     * A protocol beyond the paper's: its run counts, the cosine row, no DMoptimizer, and how its image optimizee
     * is set up.
     */
    private static Experiment.Protocol protocol(int runs, int tuneRuns, int tuneHalfWidth, boolean testAccuracy,
            ImageTaskOptions options) {
        return new Experiment.Protocol(runs, tuneRuns, tuneHalfWidth, true, testAccuracy, false, "beyond the paper: "
                + "init " + options.init() + ", batching " + options.batching());
    }

    private static Experiment beyond(String id, String title, int steps, Experiment.Dataset dataset, int depth,
            int adamRate, Experiment.Protocol protocol, Experiment.TaskFactory factory) {
        return new Experiment(id, title, Experiment.Group.BEYOND, steps, dataset, depth, Baseline.ADAM, adamRate,
                factory, protocol);
    }

    private static Experiment withProtocol(Experiment e, Experiment.Protocol p) {
        return new Experiment(e.id(), e.title(), e.group(), e.steps(), e.dataset(), e.depth(), e.paperBest(),
                e.paperBestHalfExponent(), e.factory(), p);
    }

    private static Experiment mlp(String id, String title, Experiment.Group group, int steps, MlpTask.Act act,
            int layers, int adamRate) {
        return new Experiment(id, title, group, steps, Experiment.Dataset.MNIST, layers, Baseline.ADAM, adamRate,
                (data, m) -> new MlpTask(data, m, HIDDEN, layers, act, BATCH));
    }

    private static Experiment cnn(String id, String title, Experiment.Dataset dataset, String architecture,
            int adamRate) {
        return new Experiment(id, title, Experiment.Group.CNN, 100, dataset, 0, Baseline.ADAM, adamRate,
                (data, m) -> new CnnTask(data, m, architecture, BATCH));
    }

    private static Experiment lstm(String id, String title, int layers, double noise, Baseline best, int rate) {
        return new Experiment(id, title, Experiment.Group.LSTM, 100, Experiment.Dataset.NONE, 0, best, rate,
                (data, m) -> LstmSineTask.of(layers, noise));
    }
}
