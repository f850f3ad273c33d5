package org.rnnprop.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rnnprop.core.FileFormatException;

/**
 * JSON read strictly, for the readers of the library's files: duplicate keys, trailing content and documents
 * longer than a limit are refused, and every value is read with its type checked (no number read from a string,
 * no 0 for a missing or non-numeric value). Every error is a {@link FileFormatException} that names the source
 * and the field's path ({@code hyperparameters.alpha}, {@code tensors.output/bias.data[3]}). Internal to the
 * library's file readers; not an API.
 */
public final class StrictJson {

    /** Makes the reader's own kind of exception (e.g. {@link WeightFileException}). */
    @FunctionalInterface
    public interface Errors {
        FileFormatException create(String source, String field, String problem, Throwable cause);
    }

    /**
     * One mapper for every reader: building one costs more than reading a small file. The document-length limit
     * is enforced on the stream ({@link Bounded}), not through Jackson's StreamReadConstraints, whose length
     * limit needs Jackson 2.16: applications that pin an older Jackson (Spark 3.5 pins 2.15) can use the library.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /** A stream that fails once more than {@code limit} bytes have been read from it. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLong {
            read += n;
            if (read > limit) {
                throw new TooLong(limit);
            }
        }
    }

    /** Thrown by {@link Bounded} past its limit. */
    private static final class TooLong extends IOException {
        TooLong(long limit) {
            super("longer than " + limit + " bytes");
        }
    }

    /**
     * The bytes of a file, read only if it is a regular file of at most {@code maxBytes}.
     *
     * @param what what the file should be, for the errors ({@code "a weight file"})
     */
    public static byte[] readFile(Path path, long maxBytes, String what, Errors errors) throws IOException {
        if (Files.isDirectory(path)) {
            throw errors.create(path.toString(), null, "is a directory, not " + what, null);
        }
        if (!Files.exists(path)) {
            throw errors.create(path.toString(), null, "file not found", null);
        }
        long size = Files.size(path);
        if (size > maxBytes) {
            throw errors.create(path.toString(), null, size + " bytes, more than " + what + " has (" + maxBytes
                    + ")", null);
        }
        return Files.readAllBytes(path);
    }

    /**
     * Parses a whole document, which must be one JSON object.
     *
     * @param maxBytes longest document accepted; longer ones are refused before they are read whole
     */
    public static Node parse(InputStream in, String source, long maxBytes, Errors errors) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new Bounded(in, maxBytes));
        } catch (TooLong e) {
            throw errors.create(source, null, "more than " + maxBytes + " bytes: not a file of this kind", e);
        } catch (JsonProcessingException e) {
            throw errors.create(source, location(e), "not valid JSON (truncated or corrupt?): "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw errors.create(source, null, "empty or not a JSON object", null);
        }
        return new Node(root, "", "", source, errors);
    }

    /** The path of the value at which parsing failed ({@code hyperparameters.alpha}), or null at the top. */
    private static String location(JsonProcessingException e) {
        if (!(e instanceof StreamReadException r) || r.getProcessor() == null) {
            return null;
        }
        JsonParser p = r.getProcessor();
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, "." + c.getCurrentName());
            }
        }
        return path.isEmpty() ? null : path.substring(path.charAt(0) == '.' ? 1 : 0);
    }

    /** A value in a parsed document, with its path for error messages; absent values can be asked about. */
    public static final class Node {
        private final JsonNode node;
        private final String key;
        private final String path;
        private final String source;
        private final Errors errors;

        private Node(JsonNode node, String key, String path, String source, Errors errors) {
            this.node = node;
            this.key = key;
            this.path = path;
            this.source = source;
            this.errors = errors;
        }

        /** The path of this value in its document ({@code ""} for the document itself). */
        public String path() {
            return path;
        }

        /** Whether the value is present (not missing, not JSON null). */
        public boolean present() {
            return node != null && !node.isNull();
        }

        /** The member {@code key} of this object; it must be present. */
        public Node get(String key) throws FileFormatException {
            Node n = path(key);
            if (!n.present()) {
                throw n.error("missing");
            }
            return n;
        }

        /** The member {@code key} of this object, possibly absent ({@link #present()}). */
        public Node path(String key) throws FileFormatException {
            requireObject();
            return new Node(node.get(key), key, path.isEmpty() ? key : path + "." + key, source, errors);
        }

        /** The member names of this object, in document order. */
        public List<String> keys() throws FileFormatException {
            requireObject();
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            return keys;
        }

        /** Refuses members other than {@code allowed}, naming the first unknown one. */
        public void onlyKeys(Set<String> allowed) throws FileFormatException {
            for (String k : keys()) {
                if (!allowed.contains(k)) {
                    throw path(k).error("unknown field");
                }
            }
        }

        /** A string. */
        public String asText() throws FileFormatException {
            require(node.isTextual(), "must be a string, got " + describe());
            return node.asText();
        }

        /** Whether the value is the string {@code text}. */
        public boolean isText(String text) {
            return present() && node.isTextual() && node.asText().equals(text);
        }

        /** A boolean. */
        public boolean asBoolean() throws FileFormatException {
            require(node.isBoolean(), "must be true or false, got " + describe());
            return node.asBoolean();
        }

        /** A number that fits a double without overflowing to infinity. */
        public double asDouble() throws FileFormatException {
            require(node.isNumber(), "must be a number, got " + describe());
            double v = node.doubleValue();
            require(Double.isFinite(v), "out of range: " + node);
            return v;
        }

        /** As {@link #asDouble()}, or {@code absent} if the value is missing. */
        public double asDouble(double absent) throws FileFormatException {
            return present() ? asDouble() : absent;
        }

        /** A whole number in int range. */
        public int asInt() throws FileFormatException {
            require(node.isIntegralNumber() && node.canConvertToInt(), "must be a whole number in int range, got "
                    + describe());
            return node.intValue();
        }

        /** A whole number in long range. */
        public long asLong() throws FileFormatException {
            require(node.isIntegralNumber() && node.canConvertToLong(), "must be a whole number in long range, got "
                    + describe());
            return node.longValue();
        }

        /**
         * An array of exactly {@code length} numbers, each finite in float32 (the length is checked before
         * anything is allocated).
         */
        public float[] asFloats(int length) throws FileFormatException {
            requireArray(length);
            float[] out = new float[length];
            for (int i = 0; i < length; i++) {
                JsonNode v = node.get(i);
                if (!v.isNumber()) {
                    throw element(i).error("must be a number, got " + describe(v));
                }
                out[i] = v.isBigDecimal() ? v.decimalValue().floatValue() : v.floatValue();
                if (!Float.isFinite(out[i])) {
                    throw element(i).error("overflows float32: " + v);
                }
            }
            return out;
        }

        /** An array of exactly {@code length} finite numbers (the length is checked before allocating). */
        public double[] asDoubles(int length) throws FileFormatException {
            requireArray(length);
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                out[i] = element(i).asDouble();
            }
            return out;
        }

        /** The elements of an array. */
        public List<Node> elements() throws FileFormatException {
            require(node.isArray(), "must be an array, got " + describe());
            List<Node> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(element(i));
            }
            return out;
        }

        /** The members of an object, in document order. */
        public Iterable<Node> members() throws FileFormatException {
            List<Node> out = new ArrayList<>();
            for (String k : keys()) {
                out.add(path(k));
            }
            return out;
        }

        /** This value's key in the enclosing object (an array element: its array's key). */
        public String key() {
            return key;
        }

        /** An error about this value, naming the source and this value's path. */
        public FileFormatException error(String problem) {
            return errors.create(source, path.isEmpty() ? null : path, problem, null);
        }

        private Node element(int i) {
            return new Node(node.get(i), key, path + "[" + i + "]", source, errors);
        }

        private void requireObject() throws FileFormatException {
            require(node.isObject(), "must be an object, got " + describe());
        }

        private void requireArray(int length) throws FileFormatException {
            require(node.isArray(), "must be an array, got " + describe());
            require(node.size() == length, node.size() + " values, expected " + length);
        }

        private void require(boolean ok, String problem) throws FileFormatException {
            if (!present()) {
                throw error("missing");
            }
            if (!ok) {
                throw error(problem);
            }
        }

        private String describe() {
            return describe(node);
        }

        private static String describe(JsonNode v) {
            String text = v.toString();
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
        }
    }
}
