package org.rnnprop.meta;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnprop.core.FileFormatException;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.internal.StrictJson;
import org.rnnprop.core.Tensor;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * Everything needed to continue a meta-training run exactly: the config, the completed iteration count, the
 * network, meta-Adam's moments and step, the moving average of the loss and the wall time so far. The random
 * state is a function of (seed, iteration), so it is implied. Written as JSON through a temporary file and an
 * atomic rename: a run killed at any moment leaves the previous checkpoint intact.
 *
 * <p>Version 2 ends with a field {@code "sha256"}: the SHA-256 of every byte of the file before
 * {@code ,"sha256"}. Reading checks it before anything is used, then reads every value with its type checked
 * and the network's and meta-Adam's arrays with the lengths the recipe's network has; version 1 files (no
 * checksum) are read the same way otherwise. Every error names the file and the field.
 */
public final class Checkpoint {
    static final int VERSION = 2;
    /** Longest checkpoint read (64 MiB; a run's is about 350 KB): anything longer is refused unread. */
    static final long MAX_BYTES = 64L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHECKSUM_FIELD = ",\"sha256\":\"";

    /** Progress statistics carried across resumes. */
    public static final class Stats {
        /** Exponential moving average of the per-iteration meta-loss (NaN before the first iteration). */
        public double ema = Double.NaN;
        /** Wall-clock seconds spent training, over every session of the run. */
        public double seconds;
    }

    private Checkpoint() {
    }

    /** Writes the trainer's state atomically to {@code file}. */
    public static void write(MetaTrainer trainer, Stats stats, Path file) throws IOException {
        TrainingConfig c = trainer.config();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("checkpointVersion", VERSION);
        ObjectNode cfg = root.putObject("config");
        cfg.put("recipe", c.recipe().id());
        cfg.put("seed", c.seed());
        cfg.put("metaLearningRate", c.metaLearningRate());
        cfg.put("steps", c.steps());
        cfg.put("unroll", c.unroll());
        cfg.put("scaleF", c.scaleF());
        cfg.put("scaleG", c.scaleG());
        cfg.put("convexDimension", c.convexDimension());
        cfg.put("batchSize", c.batchSize());
        cfg.put("metaGradientClip", c.metaGradientClip());
        if (c.longHorizon() != null) {
            writeLongHorizon(cfg.putObject("longHorizon"), c.longHorizon());
        }
        cfg.put("metaGradient", c.metaGradient().id());
        root.put("iteration", trainer.iteration());
        root.put("ema", stats.ema);
        root.put("seconds", stats.seconds);
        ObjectNode net = root.putObject("network");
        trainer.weights(placeholder()).tensors().forEach((k, t) -> floats(net.putArray(k), t.data()));
        MetaAdam adam = trainer.adam();
        root.put("adamStep", adam.step());
        ObjectNode m = root.putObject("adamM");
        adam.firstMoments().forEach((k, a) -> doubles(m.putArray(k), a));
        ObjectNode v = root.putObject("adamV");
        adam.secondMoments().forEach((k, a) -> doubles(v.putArray(k), a));
        if (trainer.curriculum() != null) {
            writeCurriculum(root.putObject("curriculum"), trainer.curriculum().state());
        }
        byte[] json = MAPPER.writeValueAsBytes(root);
        byte[] body = Arrays.copyOf(json, json.length - 1); // without the closing brace
        byte[] tail = (CHECKSUM_FIELD + sha256(body) + "\"}").getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.write(file, out -> {
            out.write(body);
            out.write(tail);
        });
    }

    private static void writeLongHorizon(ObjectNode o, LongHorizon h) {
        ArrayNode lengths = o.putArray("lengths");
        for (int l : h.lengths()) {
            lengths.add(l);
        }
        o.put("patience", h.patience());
        o.put("metaCoordinates", h.metaCoordinates());
        o.put("blowUpFactor", h.blowUpFactor());
        o.put("validationRuns", h.validationRuns());
        o.put("validateEvery", h.validateEvery());
        o.put("imitationFraction", h.imitationFraction());
        o.put("imitationLearningRate", h.imitationLearningRate());
        o.put("objective", h.objective().name());
        o.put("optimizees", h.optimizees().name());
        o.put("esPairs", h.esPairs());
        o.put("esSigma", h.esSigma());
        ArrayNode tensors = o.putArray("esTensors");
        h.esTensors().forEach(tensors::add);
        o.put("alphaSchedule", h.alphaSchedule().name());
    }

    private static LongHorizon readLongHorizon(StrictJson.Node o, Path file) throws IOException {
        List<StrictJson.Node> a = need(o, "lengths", file).elements();
        int[] lengths = new int[a.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = a.get(i).asInt();
        }
        return new LongHorizon(lengths, need(o, "patience", file).asInt(), need(o, "metaCoordinates", file).asInt(),
                need(o, "blowUpFactor", file).asDouble(), need(o, "validationRuns", file).asInt(),
                need(o, "validateEvery", file).asInt(),
                // absent in checkpoints written before imitation existed: those runs had none
                o.path("imitationFraction").asDouble(0),
                o.path("imitationLearningRate").asDouble(LongHorizon.DEFAULT_IMITATION_LEARNING_RATE),
                // absent before ablations existed: those runs had the recipe's objective and the whole family
                enumField(o, "objective", Recipe.Objective.class, Recipe.Objective.MEAN_LOG_LOSS, file),
                enumField(o, "optimizees", LongHorizon.Optimizees.class, LongHorizon.Optimizees.FAMILY, file),
                // absent before evolution strategies existed: those runs never used them
                o.path("esPairs").present() ? o.get("esPairs").asInt() : LongHorizon.DEFAULT_ES_PAIRS,
                o.path("esSigma").asDouble(LongHorizon.DEFAULT_ES_SIGMA),
                o.path("esTensors").present() ? texts(o.get("esTensors")) : List.of(),
                // absent before schedules existed: alpha was constant
                enumField(o, "alphaSchedule", AlphaSchedule.class, AlphaSchedule.CONSTANT, file));
    }

    private static List<String> texts(StrictJson.Node array) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (StrictJson.Node n : array.elements()) {
            out.add(n.asText());
        }
        return out;
    }

    private static <E extends Enum<E>> E enumField(StrictJson.Node o, String name, Class<E> type, E absent,
            Path file) throws IOException {
        if (!o.path(name).present()) {
            return absent;
        }
        String value = o.get(name).asText();
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file.toString(), "longHorizon." + name, "unknown value '" + value + "'", e);
        }
    }

    private static void writeCurriculum(ObjectNode o, Curriculum.State s) {
        o.put("stage", s.stage());
        if (Double.isFinite(s.best())) {
            o.put("best", s.best());
        } else {
            o.putNull("best"); // no check yet at this stage
        }
        o.put("sinceBest", s.sinceBest());
        o.put("bestIteration", s.bestIteration());
        o.put("stepsSinceCheck", s.stepsSinceCheck());
        if (s.bestNetwork() != null) {
            ObjectNode net = o.putObject("bestNetwork");
            s.bestNetwork().forEach((k, v) -> floats(net.putArray(k), v));
        }
    }

    /** The curriculum's state; its best network, if any, must have the shapes of {@code network}. */
    private static Curriculum.State readCurriculum(StrictJson.Node o, OptimizerWeights network, Path file)
            throws IOException {
        StrictJson.Node best = o.path("best");
        Map<String, float[]> net = null;
        StrictJson.Node stored = o.path("bestNetwork");
        if (stored.present()) {
            stored.onlyKeys(network.tensors().keySet());
            net = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : network.tensors().entrySet()) {
                net.put(e.getKey(), need(stored, e.getKey(), file).asFloats(e.getValue().size()));
            }
        }
        return new Curriculum.State(need(o, "stage", file).asInt(),
                best.present() ? best.asDouble() : Double.POSITIVE_INFINITY, need(o, "sinceBest", file).asInt(),
                need(o, "bestIteration", file).asLong(), net, need(o, "stepsSinceCheck", file).asLong());
    }

    /** The config stored in a checkpoint. */
    public static TrainingConfig readConfig(Path file) throws IOException {
        return config(tree(file), file);
    }

    /** Restores a trainer from {@code file}; {@code stats} receives the stored statistics. */
    public static MetaTrainer read(Path file, Task baseTask, Stats stats) throws IOException {
        Contents c = contents(file);
        stats.ema = c.ema();
        stats.seconds = c.seconds();
        MetaTrainer trainer = new MetaTrainer(c.config(), baseTask, c.network(), c.iteration(), c.adam());
        if (c.curriculum() != null) {
            try {
                trainer.curriculum().restore(c.curriculum());
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(file.toString(), "curriculum", e.getMessage(), e);
            }
        }
        return trainer;
    }

    /**
     * Reads and checks a whole checkpoint as {@link #read} does, without a task to train: a damaged checkpoint
     * fails here, before anything is loaded or changed for the run.
     *
     * @return the completed iterations it holds
     */
    public static long check(Path file) throws IOException {
        return contents(file).iteration();
    }

    /** Everything a checkpoint holds, checked. */
    private record Contents(TrainingConfig config, OptimizerWeights network, MetaAdam adam, long iteration,
            double ema, double seconds, Curriculum.State curriculum) {
    }

    private static Contents contents(Path file) throws IOException {
        StrictJson.Node root = tree(file);
        TrainingConfig c = config(root, file);
        OptimizerWeights init = SpecInitialization.create(c.recipe().kind(), c.seed());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        StrictJson.Node net = need(root, "network", file);
        net.onlyKeys(init.tensors().keySet());
        for (Map.Entry<String, Tensor> e : init.tensors().entrySet()) {
            float[] d = need(net, e.getKey(), file).asFloats(e.getValue().size());
            tensors.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        OptimizerWeights w;
        try {
            w = new OptimizerWeights(c.recipe().kind(), init.hyperparameters(), tensors, placeholder());
        } catch (IllegalArgumentException e) {
            throw net.error(e.getMessage());
        }
        MetaAdam adam = metaAdam(root, c, file);
        long iteration = iteration(root, file);
        StrictJson.Node ema = need(root, "ema", file);
        StrictJson.Node seconds = need(root, "seconds", file);
        if (seconds.asDouble() < 0) {
            throw seconds.error("negative: " + seconds.asDouble());
        }
        // NaN (before the first iteration) is written as the string "NaN"; nothing else may be a string
        Curriculum.State curriculum = c.longHorizon() == null ? null
                : readCurriculum(need(root, "curriculum", file), w, file);
        return new Contents(c, w, adam, iteration, ema.isText("NaN") ? Double.NaN : ema.asDouble(),
                seconds.asDouble(), curriculum);
    }

    // A negative count would make the resumed run drop every row of its logs (RunDirectory.truncateLogs).
    private static long iteration(StrictJson.Node root, Path file) throws IOException {
        StrictJson.Node iteration = need(root, "iteration", file);
        if (iteration.asLong() < 0) {
            throw iteration.error("negative: " + iteration.asLong());
        }
        return iteration.asLong();
    }

    /** The meta-optimizer's state alone, for inspecting a run (see {@link MetaAdam#relativeSteps()}). */
    public static MetaAdam readMetaAdam(Path file) throws IOException {
        StrictJson.Node root = tree(file);
        return metaAdam(root, config(root, file), file);
    }

    private static MetaAdam metaAdam(StrictJson.Node root, TrainingConfig c, Path file) throws IOException {
        StrictJson.Node step = need(root, "adamStep", file);
        if (step.asLong() < 0) {
            throw step.error("negative: " + step.asLong());
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        SpecInitialization.create(c.recipe().kind(), c.seed()).tensors().forEach((k, t) -> sizes.put(k, t.size()));
        return new MetaAdam(c.metaLearningRate(), step.asLong(), moments(need(root, "adamM", file), sizes,
                step.asLong()), moments(need(root, "adamV", file), sizes, step.asLong()));
    }

    /** Meta-Adam's moments: none before its first step, afterwards one array per tensor of the tensor's size. */
    private static Map<String, double[]> moments(StrictJson.Node o, Map<String, Integer> sizes, long step)
            throws FileFormatException {
        o.onlyKeys(sizes.keySet());
        Map<String, double[]> out = new LinkedHashMap<>();
        if (step == 0 && o.keys().isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            out.put(e.getKey(), o.get(e.getKey()).asDoubles(e.getValue()));
        }
        return out;
    }

    /**
     * Parses a checkpoint, checking its version and, from version 2 on, its checksum: nothing in it is used
     * before the checksum has vouched for it.
     */
    private static StrictJson.Node tree(Path file) throws IOException {
        byte[] bytes = StrictJson.readFile(file, MAX_BYTES, "a checkpoint", FileFormatException::new);
        StrictJson.Node root = StrictJson.parse(new ByteArrayInputStream(bytes), file.toString(), MAX_BYTES,
                FileFormatException::new);
        StrictJson.Node version = need(root, "checkpointVersion", file);
        if (version.asInt() < 1 || version.asInt() > VERSION) {
            throw version.error("unsupported version " + version.asInt() + " (this code reads 1 to " + VERSION + ")");
        }
        if (version.asInt() >= 2) {
            verifyChecksum(bytes, need(root, "sha256", file));
        } else if (root.path("sha256").present()) {
            throw version.error("1, but the file has a checksum, which version 1 never had (a damaged version?)");
        }
        return root;
    }

    private static void verifyChecksum(byte[] bytes, StrictJson.Node stored) throws FileFormatException {
        String tail = CHECKSUM_FIELD + stored.asText() + "\"}";
        int bodyLength = bytes.length - tail.length();
        if (bodyLength < 0 || !new String(bytes, bodyLength, tail.length(), StandardCharsets.ISO_8859_1).equals(tail)) {
            throw stored.error("must be the file's last field, as written");
        }
        String actual = sha256(Arrays.copyOf(bytes, bodyLength));
        if (!actual.equals(stored.asText())) {
            throw stored.error("checksum mismatch: the file says " + stored.asText() + ", its content gives "
                    + actual + " (the file was changed or corrupted)");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static TrainingConfig config(StrictJson.Node root, Path file) throws IOException {
        StrictJson.Node c = need(root, "config", file);
        try {
            return new TrainingConfig(Recipe.fromId(need(c, "recipe", file).asText()), need(c, "seed", file).asLong(),
                    need(c, "metaLearningRate", file).asDouble(), need(c, "steps", file).asInt(),
                    need(c, "unroll", file).asInt(), need(c, "scaleF", file).asDouble(),
                    need(c, "scaleG", file).asDouble(), need(c, "convexDimension", file).asInt(),
                    need(c, "batchSize", file).asInt(),
                    // absent in checkpoints written before clipping existed: those runs had none
                    c.path("metaGradientClip").asDouble(0),
                    c.path("longHorizon").present() ? readLongHorizon(c.get("longHorizon"), file) : null,
                    // absent in checkpoints written before the choice existed: they continue on the default
                    MetaGradientMethod.fromId(c.path("metaGradient").present() ? c.get("metaGradient").asText()
                            : MetaGradientMethod.HAND.id()));
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file.toString(), "config", e.getMessage(), e);
        }
    }

    /**
     * The member {@code field} of {@code n}, which must be present. Its reads are typed (a string or a fraction is
     * no whole number, nothing reads as 0) and every error names {@code file}, which {@code n} was parsed from,
     * and the field's path.
     */
    private static StrictJson.Node need(StrictJson.Node n, String field, Path file) throws FileFormatException {
        return n.get(field);
    }

    static Provenance placeholder() {
        return new Provenance(false, "checkpoint", "checkpoint", 0, 0, "none", "none", "none", Map.of());
    }

    private static void floats(ArrayNode a, float[] d) {
        for (float v : d) {
            a.add(v);
        }
    }

    private static void doubles(ArrayNode a, double[] d) {
        for (double v : d) {
            a.add(v);
        }
    }
}
