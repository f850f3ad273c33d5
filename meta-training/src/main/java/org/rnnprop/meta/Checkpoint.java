package org.rnnprop.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.core.AtomicFiles;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.Tensor;
import org.rnnprop.tasks.Task;

/**
 * Everything needed to continue a meta-training run exactly: the config, the completed iteration count, the
 * network, meta-Adam's moments and step, the moving average of the loss and the wall time so far. The random
 * state is a function of (seed, iteration), so it is implied. Written as JSON through a temporary file and an
 * atomic rename: a run killed at any moment leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, root));
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
    }

    private static LongHorizon readLongHorizon(JsonNode o, Path file) throws IOException {
        JsonNode a = need(o, "lengths", file);
        int[] lengths = new int[a.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = a.get(i).asInt();
        }
        return new LongHorizon(lengths, need(o, "patience", file).asInt(), need(o, "metaCoordinates", file).asInt(),
                need(o, "blowUpFactor", file).asDouble(), need(o, "validationRuns", file).asInt(),
                need(o, "validateEvery", file).asInt());
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

    private static Curriculum.State readCurriculum(JsonNode o, Path file) throws IOException {
        JsonNode best = need(o, "best", file);
        Map<String, float[]> net = null;
        if (o.has("bestNetwork")) {
            net = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.get("bestNetwork").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                net.put(e.getKey(), floats(e.getValue()));
            }
        }
        return new Curriculum.State(need(o, "stage", file).asInt(),
                best.isNull() ? Double.POSITIVE_INFINITY : best.asDouble(), need(o, "sinceBest", file).asInt(),
                need(o, "bestIteration", file).asLong(), net, need(o, "stepsSinceCheck", file).asLong());
    }

    /** The config stored in a checkpoint. */
    public static TrainingConfig readConfig(Path file) throws IOException {
        return config(tree(file), file);
    }

    /** Restores a trainer from {@code file}; {@code stats} receives the stored statistics. */
    public static MetaTrainer read(Path file, Task baseTask, Stats stats) throws IOException {
        JsonNode root = tree(file);
        TrainingConfig c = config(root, file);
        OptimizerWeights init = SpecInitialization.create(c.recipe().kind(), c.seed());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        JsonNode net = need(root, "network", file);
        for (Map.Entry<String, Tensor> e : init.tensors().entrySet()) {
            float[] d = floats(need(net, e.getKey(), file));
            tensors.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        OptimizerWeights w;
        try {
            w = new OptimizerWeights(c.recipe().kind(), init.hyperparameters(), tensors, placeholder());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": network: " + e.getMessage(), e);
        }
        MetaAdam adam = metaAdam(root, c, file);
        stats.ema = need(root, "ema", file).asDouble(Double.NaN);
        stats.seconds = need(root, "seconds", file).asDouble();
        MetaTrainer trainer = new MetaTrainer(c, baseTask, w, need(root, "iteration", file).asLong(), adam);
        if (trainer.curriculum() != null) {
            try {
                trainer.curriculum().restore(readCurriculum(need(root, "curriculum", file), file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": curriculum: " + e.getMessage(), e);
            }
        }
        return trainer;
    }

    /** The meta-optimizer's state alone, for inspecting a run (see {@link MetaAdam#relativeSteps()}). */
    public static MetaAdam readMetaAdam(Path file) throws IOException {
        JsonNode root = tree(file);
        return metaAdam(root, config(root, file), file);
    }

    private static MetaAdam metaAdam(JsonNode root, TrainingConfig c, Path file) throws IOException {
        return new MetaAdam(c.metaLearningRate(), need(root, "adamStep", file).asLong(),
                doubleMap(need(root, "adamM", file)), doubleMap(need(root, "adamV", file)));
    }

    private static JsonNode tree(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable checkpoint (" + e.getMessage() + ")", e);
        }
        if (root == null || need(root, "checkpointVersion", file).asInt() != VERSION) {
            throw new IOException(file + ": checkpointVersion: unsupported (this code reads " + VERSION + ")");
        }
        return root;
    }

    private static TrainingConfig config(JsonNode root, Path file) throws IOException {
        JsonNode c = need(root, "config", file);
        try {
            return new TrainingConfig(Recipe.fromId(need(c, "recipe", file).asText()), need(c, "seed", file).asLong(),
                    need(c, "metaLearningRate", file).asDouble(), need(c, "steps", file).asInt(),
                    need(c, "unroll", file).asInt(), need(c, "scaleF", file).asDouble(),
                    need(c, "scaleG", file).asDouble(), need(c, "convexDimension", file).asInt(),
                    need(c, "batchSize", file).asInt(),
                    // absent in checkpoints written before clipping existed: those runs had none
                    c.path("metaGradientClip").asDouble(0),
                    c.has("longHorizon") ? readLongHorizon(c.get("longHorizon"), file) : null,
                    // absent in checkpoints written before the choice existed: they continue on the default
                    MetaGradientMethod.fromId(c.path("metaGradient").asText(MetaGradientMethod.HAND.id())));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": config: " + e.getMessage(), e);
        }
    }

    private static JsonNode need(JsonNode n, String field, Path file) throws IOException {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new IOException(file + ": field '" + field + "' is missing (truncated or foreign checkpoint?)");
        }
        return v;
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

    private static float[] floats(JsonNode a) {
        float[] d = new float[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) a.get(i).asDouble();
        }
        return d;
    }

    private static Map<String, double[]> doubleMap(JsonNode o) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            double[] d = new double[e.getValue().size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = e.getValue().get(i).asDouble();
            }
            out.put(e.getKey(), d);
        }
        return out;
    }
}
