package org.rnnprop.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.internal.NonClosingOutputStream;
import org.rnnprop.core.internal.StrictJson;

/**
 * Reads and writes optimizer weight files (JSON). Writes format version {@value #FORMAT_VERSION}; reads versions
 * 1 and 2, which differ only in what the {@code sha256} field covers (see {@link #checksum(OptimizerWeights, int)}):
 * version 1 the tensors, version 2 the kind and hyperparameters too.
 *
 * <pre>{@code
 * { "format": "rnnprop-weights", "formatVersion": 2, "kind": "rnnprop",
 *   "update": "theta_new = theta - update",
 *   "hyperparameters": { "beta1": 0.95, ... },
 *   "tensors": { "preprocess/kernel": { "shape": [2, 20], "data": [ ... ] }, ... },
 *   "provenance": { "trained": true, "recipe": "...", ... },
 *   "sha256": "..." }
 * }</pre>
 *
 * Reading validates everything and throws {@link WeightFileException} naming the source and the field:
 * malformed or truncated JSON, duplicate keys, unknown format, version or kind, missing or extra fields and
 * tensors, values of the wrong type, wrong shapes, non-finite values, and a checksum that does not match.
 */
public final class WeightFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "rnnprop-weights";
    /** The format version this code writes; it reads every version from 1 to this one. */
    public static final int FORMAT_VERSION = 2;
    /** Longest weight file read (64 MiB; the shipped ones are about 100 KB): anything longer is refused unread. */
    public static final long MAX_BYTES = 64L << 20;
    /** The update convention every file states and every implementation follows. */
    public static final String UPDATE_CONVENTION = "theta_new = theta - update";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP_FIELDS = Set.of(
            "format", "formatVersion", "kind", "update", "hyperparameters", "tensors", "provenance", "sha256");

    private WeightFile() {
    }

    /**
     * Reads and validates a weight file on disk.
     *
     * @throws WeightFileException naming the file and the field if it is missing, a directory, longer than
     *     {@value #MAX_BYTES} bytes, or invalid
     */
    public static OptimizerWeights read(Path path) throws IOException {
        byte[] bytes = StrictJson.readFile(path, MAX_BYTES, "a weight file", WeightFileException::new);
        return read(new ByteArrayInputStream(bytes), path.toString());
    }

    /** Reads and validates weights from a stream; {@code sourceName} appears in error messages. */
    public static OptimizerWeights read(InputStream in, String sourceName) throws IOException {
        return new Parser(sourceName).parse(StrictJson.parse(in, sourceName, MAX_BYTES, WeightFileException::new));
    }

    /** Reads a weight file from the classpath, e.g. {@code "/org/rnnprop/pretrained/rnnprop.json"}. */
    public static OptimizerWeights readResource(String resource) throws IOException {
        return readResource(WeightFile.class, resource);
    }

    /** Reads a weight file from the classpath of {@code anchor}'s class loader. */
    public static OptimizerWeights readResource(Class<?> anchor, String resource) throws IOException {
        InputStream in = anchor.getResourceAsStream(resource);
        if (in == null) {
            throw new WeightFileException("classpath:" + resource, null, "resource not found");
        }
        try (in) {
            return read(in, "classpath:" + resource);
        }
    }

    /** Writes a weight file atomically (temporary file, then rename), so a crash never leaves half a file. */
    public static void write(OptimizerWeights weights, Path path) throws IOException {
        AtomicFiles.write(path, out -> write(weights, out));
    }

    /** Writes weights as JSON to a stream (not closed). */
    public static void write(OptimizerWeights weights, OutputStream out) throws IOException {
        MAPPER.writeValue(new NonClosingOutputStream(out), toJson(weights));
    }

    /** The JSON tree of a weight file. */
    public static ObjectNode toJson(OptimizerWeights w) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("kind", w.kind().id());
        root.put("update", UPDATE_CONVENTION);
        Hyperparameters hp = w.hyperparameters();
        ObjectNode h = root.putObject("hyperparameters");
        h.put("beta1", hp.beta1());
        h.put("beta2", hp.beta2());
        h.put("epsilon", hp.epsilon());
        h.put("alpha", hp.alpha());
        h.put("preprocessSize", hp.preprocessSize());
        h.put("hiddenSize", hp.hiddenSize());
        h.put("forgetBias", hp.forgetBias());
        h.put("logScale", hp.logScale());
        ObjectNode ts = root.putObject("tensors");
        for (Map.Entry<String, Tensor> e : w.tensors().entrySet()) {
            ObjectNode t = ts.putObject(e.getKey());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            ArrayNode data = t.putArray("data");
            for (float v : e.getValue().data()) {
                data.add(v);
            }
        }
        Provenance p = w.provenance();
        ObjectNode pn = root.putObject("provenance");
        pn.put("trained", p.trained());
        pn.put("recipe", p.recipe());
        pn.put("command", p.command());
        pn.put("seed", p.seed());
        pn.put("iterations", p.iterations());
        pn.put("data", p.data());
        pn.put("codeVersion", p.codeVersion());
        pn.put("date", p.date());
        ObjectNode details = pn.putObject("details");
        p.details().forEach(details::put);
        root.put("sha256", checksum(w, FORMAT_VERSION));
        return root;
    }

    /**
     * The {@code sha256} field of a file of format {@code version} holding {@code w}. Version 1: the tensors
     * alone ({@link OptimizerWeights#checksum()}). Version 2: SHA-256 over the UTF-8 bytes of
     * {@code "rnnprop-weights/2"}, a zero byte, the kind id, a zero byte, then for each hyperparameter in the
     * order of the file its name, a zero byte and its value as big-endian IEEE-754 float64 bits, then the tensors
     * as version 1 hashes them.
     */
    public static String checksum(OptimizerWeights w, int version) {
        if (version == 1) {
            return w.checksum();
        }
        if (version != 2) {
            throw new IllegalArgumentException("no weight-file format version " + version);
        }
        MessageDigest md = OptimizerWeights.sha256();
        md.update((FORMAT + "/2\0" + w.kind().id() + "\0").getBytes(StandardCharsets.UTF_8));
        hyperparameterValues(w.hyperparameters()).forEach((name, value) -> {
            md.update((name + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(value)).array());
        });
        w.digestTensors(md);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The hyperparameters by their names in the file, in the file's order. */
    private static Map<String, Double> hyperparameterValues(Hyperparameters hp) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("beta1", hp.beta1());
        m.put("beta2", hp.beta2());
        m.put("epsilon", hp.epsilon());
        m.put("alpha", hp.alpha());
        m.put("preprocessSize", (double) hp.preprocessSize());
        m.put("hiddenSize", (double) hp.hiddenSize());
        m.put("forgetBias", hp.forgetBias());
        m.put("logScale", hp.logScale());
        return m;
    }

    /** Validating reader for one source; every error names {@code source} and the JSON path. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        OptimizerWeights parse(StrictJson.Node root) throws FileFormatException {
            root.onlyKeys(TOP_FIELDS);
            String format = root.get("format").asText();
            if (!FORMAT.equals(format)) {
                throw root.get("format").error("expected '" + FORMAT + "', got '" + format + "'");
            }
            StrictJson.Node versionNode = root.get("formatVersion");
            int version = versionNode.asInt();
            if (version < 1 || version > FORMAT_VERSION) {
                throw versionNode.error("unsupported version " + version + " (this library reads versions 1 to "
                        + FORMAT_VERSION + ")");
            }
            OptimizerKind kind;
            try {
                kind = OptimizerKind.fromId(root.get("kind").asText());
            } catch (IllegalArgumentException e) {
                throw root.get("kind").error(e.getMessage());
            }
            String update = root.get("update").asText();
            if (!UPDATE_CONVENTION.equals(update)) {
                throw root.get("update").error("expected '" + UPDATE_CONVENTION + "', got '" + update + "'");
            }
            Hyperparameters hp = hyperparameters(root.get("hyperparameters"));
            Map<String, Tensor> tensors = tensors(root.get("tensors"), kind, hp);
            Provenance provenance = provenance(root.get("provenance"));
            OptimizerWeights weights;
            try {
                weights = new OptimizerWeights(kind, hp, tensors, provenance);
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
            String stored = root.get("sha256").asText();
            String actual = checksum(weights, version);
            if (!actual.equals(stored)) {
                throw root.get("sha256").error("checksum mismatch: file says " + stored + ", its content gives "
                        + actual + (version == 1 ? " (version 1: the tensors)" : " (kind, hyperparameters, tensors)")
                        + ": the file was changed or corrupted");
            }
            return weights;
        }

        private Hyperparameters hyperparameters(StrictJson.Node n) throws FileFormatException {
            n.onlyKeys(hyperparameterValues(Hyperparameters.defaults(OptimizerKind.RNNPROP)).keySet());
            try {
                return new Hyperparameters(n.get("beta1").asDouble(), n.get("beta2").asDouble(),
                        n.get("epsilon").asDouble(), n.get("alpha").asDouble(), n.get("preprocessSize").asInt(),
                        n.get("hiddenSize").asInt(), n.get("forgetBias").asDouble(), n.get("logScale").asDouble());
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
        }

        private Map<String, Tensor> tensors(StrictJson.Node n, OptimizerKind kind, Hyperparameters hp)
                throws FileFormatException {
            Map<String, int[]> expected = NetworkLayout.shapes(kind, hp);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (StrictJson.Node t : n.members()) {
                int[] shape = expected.get(t.key());
                if (shape == null) {
                    throw t.error("unexpected tensor for " + kind.id() + " (expected " + expected.keySet() + ")");
                }
                t.onlyKeys(Set.of("shape", "data"));
                List<StrictJson.Node> dims = t.get("shape").elements();
                int[] stored = new int[dims.size()];
                for (int i = 0; i < stored.length; i++) {
                    stored[i] = dims.get(i).asInt();
                }
                if (!Arrays.equals(stored, shape)) {
                    throw t.get("shape").error(Arrays.toString(stored) + ", expected " + Arrays.toString(shape));
                }
                out.put(t.key(), new Tensor(shape, t.get("data").asFloats(Math.toIntExact(size(shape)))));
            }
            return out;
        }

        private static long size(int[] shape) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        private Provenance provenance(StrictJson.Node n) throws FileFormatException {
            n.onlyKeys(Set.of("trained", "recipe", "command", "seed", "iterations", "data", "codeVersion", "date",
                    "details"));
            Map<String, String> details = new LinkedHashMap<>();
            StrictJson.Node d = n.path("details");
            if (d.present()) {
                for (StrictJson.Node e : d.members()) {
                    details.put(e.key(), e.asText());
                }
            }
            try {
                return new Provenance(n.get("trained").asBoolean(), n.get("recipe").asText(),
                        n.get("command").asText(), n.get("seed").asLong(), n.get("iterations").asLong(),
                        n.get("data").asText(), n.get("codeVersion").asText(), n.get("date").asText(), details);
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
        }

        private WeightFileException error(String field, String problem) {
            return new WeightFileException(source, field, problem);
        }
    }
}
