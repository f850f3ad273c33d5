package org.rnnprop.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.core.StepKernels;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.dl4j.Rnnprop;

/**
 * Whole training iterations of Deeplearning4j networks on MNIST, RNNprop against Adam: the time of
 * {@code net.fit(minibatch)} (forward, backward and the optimizer's update of one minibatch of 128), for a
 * LeNet-5 CNN (conv 5x5x20, max-pool, conv 5x5x50, max-pool, dense 500 ReLU, softmax; 431,080 parameters) and
 * the paper's base MLP (784-20-10, sigmoid; 15,910 parameters). The ratio RNNprop / Adam says what the learned
 * optimizer costs per iteration of a real training run.
 *
 * <p>Every configuration (network, optimizer, ND4J's OpenMP threads, Vector API flag) runs in a JVM of its own,
 * since {@code OMP_NUM_THREADS} is read when ND4J's native library loads: ND4J's OpenMP threads and the core
 * kernel's worker threads compete for the same cores, so {@code --omp 1} shows what one OpenMP thread changes.
 * The minibatches are the first {@code --batches} of the training set, cycled.
 */
public final class TrainingBenchmark {
    private static final String TAG = "@@TRAINING";

    private TrainingBenchmark() {
    }

    /** The networks. */
    enum Net {
        LENET("lenet", "LeNet-5 CNN"),
        MLP("mlp", "MLP 784-20-10 sigmoid");

        final String id;
        final String label;

        Net(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** The optimizers. */
    enum Opt {
        RNNPROP("rnnprop", "RNNprop (shipped \"rnnprop\")"),
        ADAM("adam", "Adam 1e-3");

        final String id;
        final String label;

        Opt(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** Command-line settings. */
    static final class Options {
        List<Net> nets = List.of(Net.values());
        List<Opt> optimizers = List.of(Opt.values());
        /** OMP_NUM_THREADS per run: "default" leaves it unset (ND4J then uses every core). */
        List<String> omp = List.of("default", "1");
        List<Boolean> vectorModes = List.of(true);
        int warmup = 10;
        int iterations = 30;
        int batch = 128;
        int batches = 20;
        long seed = 42;
        Path data;
        Path out;
        boolean help;
        // Set only in a forked JVM.
        Net childNet;
        Opt childOpt;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--quick" -> {
                        o.warmup = 1;
                        o.iterations = 3;
                        o.batches = 2;
                    }
                    case "--models" -> o.nets = parse(value(args, ++i, a), Net.values(), n -> n.id);
                    case "--optimizers" -> o.optimizers = parse(value(args, ++i, a), Opt.values(), p -> p.id);
                    case "--omp" -> o.omp = ompSettings(value(args, ++i, a));
                    case "--vector-module" -> o.vectorModes = switch (value(args, ++i, a)) {
                        case "on" -> List.of(true);
                        case "off" -> List.of(false);
                        case "both" -> List.of(true, false);
                        default -> throw new IllegalArgumentException("--vector-module takes on, off or both");
                    };
                    case "--warmup" -> o.warmup = atLeast(a, 0, Integer.parseInt(value(args, ++i, a)));
                    case "--iterations" -> o.iterations = atLeast(a, 1, Integer.parseInt(value(args, ++i, a)));
                    case "--batch" -> o.batch = atLeast(a, 1, Integer.parseInt(value(args, ++i, a)));
                    case "--batches" -> o.batches = atLeast(a, 1, Integer.parseInt(value(args, ++i, a)));
                    case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
                    case "--data" -> o.data = Path.of(value(args, ++i, a));
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--child-net" -> o.childNet = parse(value(args, ++i, a), Net.values(), n -> n.id).get(0);
                    case "--child-optimizer" -> o.childOpt = parse(value(args, ++i, a), Opt.values(), p -> p.id)
                            .get(0);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
                }
            }
            if ((long) o.batch * o.batches > Mnist.TRAIN_SIZE) {
                throw new IllegalArgumentException("--batch x --batches is more than MNIST's " + Mnist.TRAIN_SIZE
                        + " training images");
            }
            return o;
        }

        private static <T> List<T> parse(String v, T[] values, java.util.function.Function<T, String> id) {
            List<T> l = new ArrayList<>();
            for (String s : v.split(",")) {
                String name = s.strip();
                T found = null;
                for (T t : values) {
                    if (id.apply(t).equals(name)) {
                        found = t;
                    }
                }
                if (found == null) {
                    List<String> ids = new ArrayList<>();
                    for (T t : values) {
                        ids.add(id.apply(t));
                    }
                    throw new IllegalArgumentException("unknown name '" + name + "'; choose from " + ids);
                }
                l.add(found);
            }
            return l;
        }

        private static List<String> ompSettings(String v) {
            List<String> l = new ArrayList<>();
            for (String s : v.split(",")) {
                String t = s.strip();
                if (!t.equals("default")) {
                    atLeast("--omp", 1, Integer.parseInt(t));
                }
                l.add(t);
            }
            return l;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int atLeast(String option, int min, int v) {
            if (v < min) {
                throw new IllegalArgumentException(option + " must be >= " + min + ", got " + v);
            }
            return v;
        }
    }

    private static final String USAGE = """
            Usage: TrainingBenchmark [options]
              --models ID[,ID]          lenet, mlp (default both)
              --optimizers ID[,ID]      rnnprop, adam (default both)
              --omp S[,S...]            OMP_NUM_THREADS of ND4J per run: a number, or default (unset: every
                                        core) (default: default,1)
              --vector-module M         on|off|both: JVMs with, without or with and without
                                        --add-modules jdk.incubator.vector (default on)
              --warmup K                untimed iterations first (default 10)
              --iterations K            timed iterations (default 30)
              --batch B                 minibatch size (default 128)
              --batches K               distinct minibatches, cycled (default 20)
              --quick                   1 warm-up iteration, 3 timed, 2 minibatches: checks that it runs
              --data DIR                MNIST folder (default: where scripts/fetch-mnist.sh puts it)
              --seed S                  initialisation seed (default 42)
              --out FILE                also write the Markdown report to FILE
            """;

    /** What one configuration measured. */
    private record Run(Net net, Opt opt, String omp, boolean vector, Map<String, String> values) {
        double median() {
            return Double.parseDouble(values.getOrDefault("medianMs", "NaN"));
        }
    }

    /**
     * Runs every configuration and prints the Markdown report on standard output (progress on standard error).
     *
     * @param args options; {@code --help} lists them
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TrainingBenchmark: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(USAGE);
            return;
        }
        if (o.childNet != null) {
            runChild(o);
            return;
        }
        String loadBefore = StepBenchmark.loadAverage();
        List<Run> runs = new ArrayList<>();
        int total = o.nets.size() * o.omp.size() * o.vectorModes.size() * o.optimizers.size();
        for (Net net : o.nets) {
            for (String omp : o.omp) {
                for (boolean vector : o.vectorModes) {
                    for (Opt opt : o.optimizers) {
                        System.err.printf("[%d/%d] %s, %s, OMP_NUM_THREADS %s, %s %s ...%n", runs.size() + 1,
                                total, net.id, opt.id, omp, vector ? "with" : "without", VectorFlag.FLAG);
                        List<String> childArgs = new ArrayList<>(Arrays.asList(args));
                        childArgs.addAll(List.of("--child-net", net.id, "--child-optimizer", opt.id));
                        Map<String, String> env = new LinkedHashMap<>();
                        env.put("OMP_NUM_THREADS", omp.equals("default") ? null : omp);
                        Map<String, String> values = new LinkedHashMap<>();
                        int rc = ChildJvm.run(TrainingBenchmark.class, childArgs, vector, env,
                                line -> values.putAll(ChildJvm.decode(line)));
                        if (values.isEmpty()) {
                            values.put("error", "forked JVM exited with code " + rc + " and no result");
                        }
                        Run r = new Run(net, opt, omp, vector, values);
                        System.err.println("    " + (values.containsKey("error") ? "FAILED: " + values.get("error")
                                : StepBenchmark.sig(r.median()) + " ms/iteration (median)"));
                        runs.add(r);
                    }
                }
            }
        }
        String report = render(o, args, runs, loadBefore, StepBenchmark.loadAverage());
        System.out.print(report);
        if (o.out != null) {
            Path parent = o.out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(o.out, report, StandardCharsets.UTF_8);
            System.err.println("report written to " + o.out);
        }
    }

    /** In a forked JVM: one network with one optimizer; the result goes to stdout as one tagged line. */
    private static void runChild(Options o) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            List<DataSet> batches = minibatches(o);
            MultiLayerNetwork net = new MultiLayerNetwork(configuration(o.childNet, updater(o.childOpt), o.seed));
            net.init();
            for (int i = 0; i < o.warmup; i++) {
                net.fit(batches.get(i % batches.size()));
            }
            double[] ms = new double[o.iterations];
            for (int i = 0; i < o.iterations; i++) {
                DataSet d = batches.get((o.warmup + i) % batches.size());
                long t0 = System.nanoTime();
                net.fit(d);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            int k = sorted.length;
            out.put("medianMs", k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2);
            out.put("minMs", sorted[0]);
            out.put("parameters", net.numParams());
            out.put("score", net.score());
            out.put("kernel", o.childOpt == Opt.RNNPROP ? (StepKernels.vectorEnabled() ? "VectorStep" : "FastStep")
                    : "ND4J");
            out.put("nd4jThreads", Nd4j.getEnvironment().maxThreads());
        } catch (Exception | Error e) {
            e.printStackTrace();
            out.put("error", e.toString());
        }
        System.out.println(ChildJvm.encode(TAG, out));
        System.out.flush();
        System.exit(0); // ND4J's thread pools may not be daemons
    }

    /** The first {@code batches} minibatches of MNIST's training set: flat pixels in [0, 1], one-hot labels. */
    private static List<DataSet> minibatches(Options o) throws IOException {
        LabeledImages train = o.data == null ? Mnist.load(Mnist.Split.TRAIN) : Mnist.load(o.data, Mnist.Split.TRAIN);
        int size = train.imageSize();
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < o.batches; b++) {
            float[] x = Arrays.copyOfRange(train.images(), b * o.batch * size, (b + 1) * o.batch * size);
            float[] y = new float[o.batch * Mnist.NUM_CLASSES];
            for (int i = 0; i < o.batch; i++) {
                y[i * Mnist.NUM_CLASSES + train.label(b * o.batch + i)] = 1f;
            }
            INDArray features = Nd4j.create(x, new long[] {o.batch, size}, 'c');
            INDArray labels = Nd4j.create(y, new long[] {o.batch, Mnist.NUM_CLASSES}, 'c');
            out.add(new DataSet(features, labels));
        }
        return out;
    }

    private static IUpdater updater(Opt opt) {
        return opt == Opt.RNNPROP ? Rnnprop.pretrained("rnnprop") : new Adam(1e-3);
    }

    /** The network, float32, Xavier initialisation from {@code seed}, with {@code updater} on every layer. */
    static MultiLayerConfiguration configuration(Net net, IUpdater updater, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list();
        if (net == Net.LENET) {
            return b.layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20)
                            .activation(Activation.IDENTITY).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY)
                            .build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                    .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(Mnist.ROWS, Mnist.COLS, 1))
                    .build();
        }
        return b.layer(new DenseLayer.Builder().nIn(Mnist.IMAGE_SIZE).nOut(20).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(20).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static String render(Options o, String[] args, List<Run> runs, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        sb.append("# Training iteration time, DL4J on MNIST\n\n");
        sb.append("- Date: ").append(StepBenchmark.now()).append('\n');
        sb.append("- Cores available to the JVM: ").append(cores).append("; JVM ")
                .append(System.getProperty("java.runtime.version")).append('\n');
        sb.append("- Load average (1/5/15 min): ").append(loadBefore).append(" at start, ").append(loadAfter)
                .append(" at end\n");
        sb.append("- Settings: minibatch ").append(o.batch).append(", ").append(o.batches)
                .append(" distinct minibatches cycled, ").append(o.warmup).append(" warm-up and ").append(o.iterations)
                .append(" timed iterations per run, one JVM per run, seed ").append(o.seed).append('\n');
        sb.append("- Core kernel threads (rnnprop.threads): ")
                .append(System.getProperty("rnnprop.threads", cores + " (default: one per processor)")).append('\n');
        sb.append("- Arguments: `").append(String.join(" ", args)).append("`\n");
        sb.append(Report.notIdleWarning(loadBefore)).append('\n');
        sb.append("An iteration is `net.fit(minibatch)`: forward, backward and update. \"vs Adam\" divides the "
                + "median by Adam's in the same setting.\n\n");
        sb.append("| network | OMP_NUM_THREADS | Vector API | optimizer | kernel | ND4J threads | median ms/iteration "
                + "| min ms/iteration | vs Adam |\n");
        sb.append("|---|---|---|---|---|--:|--:|--:|--:|\n");
        for (Run r : runs) {
            Map<String, String> v = r.values;
            String flag = r.vector ? "on" : "off";
            if (v.containsKey("error")) {
                sb.append(String.format("| %s | %s | %s | %s | | | failed: %s | | |%n", r.net.label, r.omp, flag,
                        r.opt.label, v.get("error").replace('|', '/')));
                continue;
            }
            String ratio = "—";
            for (Run a : runs) {
                if (a.opt == Opt.ADAM && a.net == r.net && a.omp.equals(r.omp) && a.vector == r.vector
                        && !a.values.containsKey("error")) {
                    ratio = StepBenchmark.sig(r.median() / a.median()) + "x";
                }
            }
            sb.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.net.label, r.omp, flag,
                    r.opt.label, v.get("kernel"), v.get("nd4jThreads"), StepBenchmark.sig(r.median()),
                    StepBenchmark.sig(Double.parseDouble(v.get("minMs"))), ratio));
        }
        return sb.toString();
    }
}
