package org.rnnprop.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnprop.tasks.CnnTask;
import org.rnnprop.tasks.LstmSineTask;
import org.rnnprop.tasks.MlpTask;

/** The specification's test list (docs/SPEC.md §4), in the paper's order. */
public final class Experiments {
    /** The test that hosts the control experiment: the base MLP with ReLU, 100 steps. */
    public static final String CONTROL = "mnist-relu-100";
    /** Batch size of every test. */
    public static final int BATCH = 128;
    /** Hidden units of every MLP layer. */
    public static final int HIDDEN = 20;

    private static final Map<String, Experiment> ALL;

    static {
        List<Experiment> l = new ArrayList<>();
        int[] horizon = {100, 2_000, 10_000};
        int[] horizonRate = {-10, -12, -14};
        for (int i = 0; i < horizon.length; i++) {
            l.add(mlp("mnist-sigmoid-" + horizon[i], "base MLP (sigmoid), " + horizon[i] + " steps",
                    Experiment.Group.HORIZON, horizon[i], MlpTask.Act.SIGMOID, 1, horizonRate[i]));
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
