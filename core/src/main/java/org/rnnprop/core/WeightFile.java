package org.rnnprop.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.internal.NonClosingOutputStream;

/**
 * Reads and writes optimizer weight files (JSON, format version {@value #FORMAT_VERSION}).
 *
 * <pre>{@code
 * { "format": "rnnprop-weights", "formatVersion": 1, "kind": "rnnprop",
 *   "update": "theta_new = theta - update",
 *   "hyperparameters": { "beta1": 0.95, ... },
 *   "tensors": { "preprocess/kernel": { "shape": [2, 20], "data": [ ... ] }, ... },
 *   "provenance": { "trained": true, "recipe": "...", ... },
 *   "sha256": "..." }
 * }</pre>
 *
 * Reading validates everything and throws {@link WeightFileException} naming the source and the field:
 * malformed or truncated JSON, unknown format, version or kind, missing or extra fields and tensors, wrong
 * shapes, non-finite values, and a checksum that does not match the tensors.
 */
public final class WeightFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "rnnprop-weights";
    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The update convention every file states and every implementation follows. */
    public static final String UPDATE_CONVENTION = "theta_new = theta - update";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP_FIELDS = Set.of(
            "format", "formatVersion", "kind", "update", "hyperparameters", "tensors", "provenance", "sha256");

    private WeightFile() {
    }

    /** Reads and validates a weight file on disk. */
    public static OptimizerWeights read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new WeightFileException(path.toString(), null, "file not found", e);
        }
    }

    /** Reads and validates weights from a stream; {@code sourceName} appears in error messages. */
    public static OptimizerWeights read(InputStream in, String sourceName) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new WeightFileException(sourceName, null,
                    "not valid JSON (truncated or corrupt?): " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightFileException(sourceName, null, "empty file or not a JSON object");
        }
        return new Parser(sourceName).parse(root);
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
        root.put("sha256", w.checksum());
        return root;
    }

    /** Validating reader for one source; every error names {@code source} and the JSON path. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        OptimizerWeights parse(JsonNode root) throws WeightFileException {
            rejectUnknown(root, TOP_FIELDS, "");
            String format = text(root, "format");
            if (!FORMAT.equals(format)) {
                throw error("format", "expected '" + FORMAT + "', got '" + format + "'");
            }
            JsonNode version = require(root, "formatVersion");
            if (!version.isIntegralNumber() || version.asInt() != FORMAT_VERSION) {
                throw error("formatVersion", "unsupported version " + version + " (this library reads version "
                        + FORMAT_VERSION + ")");
            }
            OptimizerKind kind;
            try {
                kind = OptimizerKind.fromId(text(root, "kind"));
            } catch (IllegalArgumentException e) {
                throw error("kind", e.getMessage());
            }
            String update = text(root, "update");
            if (!UPDATE_CONVENTION.equals(update)) {
                throw error("update", "expected '" + UPDATE_CONVENTION + "', got '" + update + "'");
            }
            Hyperparameters hp = hyperparameters(require(root, "hyperparameters"));
            Map<String, Tensor> tensors = tensors(require(root, "tensors"), kind, hp);
            Provenance provenance = provenance(require(root, "provenance"));
            OptimizerWeights weights;
            try {
                weights = new OptimizerWeights(kind, hp, tensors, provenance);
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
            String stored = text(root, "sha256");
            String actual = weights.checksum();
            if (!actual.equals(stored)) {
                throw error("sha256", "checksum mismatch: file says " + stored + ", tensors give " + actual
                        + " (the file was changed or corrupted)");
            }
            return weights;
        }

        private Hyperparameters hyperparameters(JsonNode n) throws WeightFileException {
            String p = "hyperparameters.";
            rejectUnknown(n, Set.of("beta1", "beta2", "epsilon", "alpha", "preprocessSize", "hiddenSize",
                    "forgetBias", "logScale"), p);
            try {
                return new Hyperparameters(number(n, p, "beta1"), number(n, p, "beta2"), number(n, p, "epsilon"),
                        number(n, p, "alpha"), integer(n, p, "preprocessSize"), integer(n, p, "hiddenSize"),
                        number(n, p, "forgetBias"), number(n, p, "logScale"));
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
        }

        private Map<String, Tensor> tensors(JsonNode n, OptimizerKind kind, Hyperparameters hp)
                throws WeightFileException {
            if (!n.isObject()) {
                throw error("tensors", "must be an object");
            }
            Map<String, int[]> expected = NetworkLayout.shapes(kind, hp);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "tensors." + e.getKey();
                if (!expected.containsKey(e.getKey())) {
                    throw error(field, "unexpected tensor for " + kind.id() + " (expected " + expected.keySet() + ")");
                }
                JsonNode t = e.getValue();
                rejectUnknown(t, Set.of("shape", "data"), field + ".");
                JsonNode shapeNode = require(t, field + ".", "shape");
                JsonNode dataNode = require(t, field + ".", "data");
                if (!shapeNode.isArray() || !dataNode.isArray()) {
                    throw error(field, "shape and data must be arrays");
                }
                int[] shape = new int[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    if (!shapeNode.get(i).isIntegralNumber()) {
                        throw error(field + ".shape", "dimension " + i + " is not an integer");
                    }
                    shape[i] = shapeNode.get(i).asInt();
                }
                if (!java.util.Arrays.equals(shape, expected.get(e.getKey()))) {
                    throw error(field + ".shape", java.util.Arrays.toString(shape) + ", expected "
                            + java.util.Arrays.toString(expected.get(e.getKey())));
                }
                float[] data = new float[dataNode.size()];
                for (int i = 0; i < data.length; i++) {
                    JsonNode v = dataNode.get(i);
                    if (!v.isNumber()) {
                        throw error(field + ".data", "element " + i + " is not a number: " + v);
                    }
                    data[i] = v.decimalValue().floatValue();
                    if (!Float.isFinite(data[i])) {
                        throw error(field + ".data", "element " + i + " overflows float32: " + v);
                    }
                }
                try {
                    out.put(e.getKey(), new Tensor(shape, data));
                } catch (IllegalArgumentException ex) {
                    throw error(field, ex.getMessage());
                }
            }
            return out;
        }

        private Provenance provenance(JsonNode n) throws WeightFileException {
            String p = "provenance.";
            rejectUnknown(n, Set.of("trained", "recipe", "command", "seed", "iterations", "data", "codeVersion",
                    "date", "details"), p);
            JsonNode trained = require(n, p, "trained");
            if (!trained.isBoolean()) {
                throw error(p + "trained", "must be true or false");
            }
            Map<String, String> details = new LinkedHashMap<>();
            JsonNode d = n.get("details");
            if (d != null) {
                if (!d.isObject()) {
                    throw error(p + "details", "must be an object");
                }
                d.fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
            }
            try {
                return new Provenance(trained.asBoolean(), text(n, p, "recipe"), text(n, p, "command"),
                        longValue(n, p, "seed"), longValue(n, p, "iterations"), text(n, p, "data"),
                        text(n, p, "codeVersion"), text(n, p, "date"), details);
            } catch (IllegalArgumentException e) {
                throw error(null, e.getMessage());
            }
        }

        private void rejectUnknown(JsonNode n, Set<String> allowed, String prefix) throws WeightFileException {
            if (!n.isObject()) {
                throw error(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1), "must be an object");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error(prefix + f, "unknown field");
                }
            }
        }

        private JsonNode require(JsonNode n, String field) throws WeightFileException {
            return require(n, "", field);
        }

        private JsonNode require(JsonNode n, String prefix, String field) throws WeightFileException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                throw error(prefix + field, "missing");
            }
            return v;
        }

        private String text(JsonNode n, String field) throws WeightFileException {
            return text(n, "", field);
        }

        private String text(JsonNode n, String prefix, String field) throws WeightFileException {
            JsonNode v = require(n, prefix, field);
            if (!v.isTextual()) {
                throw error(prefix + field, "must be a string");
            }
            return v.asText();
        }

        private double number(JsonNode n, String prefix, String field) throws WeightFileException {
            JsonNode v = require(n, prefix, field);
            if (!v.isNumber()) {
                throw error(prefix + field, "must be a number");
            }
            return v.doubleValue();
        }

        private int integer(JsonNode n, String prefix, String field) throws WeightFileException {
            JsonNode v = require(n, prefix, field);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw error(prefix + field, "must be an integer");
            }
            return v.asInt();
        }

        private long longValue(JsonNode n, String prefix, String field) throws WeightFileException {
            JsonNode v = require(n, prefix, field);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw error(prefix + field, "must be an integer");
            }
            return v.asLong();
        }

        private WeightFileException error(String field, String problem) {
            return new WeightFileException(source, field, problem);
        }
    }
}
