package org.rnnprop.pretrained;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.WeightFile;

/**
 * The optimizer weight files shipped with the library, by name. Each name {@code n} is a resource
 * {@code /org/rnnprop/pretrained/n.json} with a model card {@code n.md} beside it, listed in {@code index.txt}.
 * A line {@code alias = name} there makes {@code alias} another name for a shipped file (e.g. the default
 * {@code rnnprop} names the best RNNprop shipped).
 *
 * <pre>{@code OptimizerWeights w = Pretrained.load("rnnprop");}</pre>
 */
public final class Pretrained {
    /** Classpath folder of the shipped files. */
    public static final String FOLDER = "/org/rnnprop/pretrained/";
    /**
     * The alias both plugins load when no weights are named: the RNNprop weights this project recommends. The
     * index says which file it stands for; that may change between releases ({@link #resolve}).
     */
    public static final String DEFAULT_RNNPROP = "rnnprop";

    /** The line of a model card that quotes its file's tensor checksum (cards of trained and untrained files). */
    private static final Pattern CARD_CHECKSUM =
            Pattern.compile("SHA-256 (?:of|over) the tensors[ :|]+`([0-9a-f]{64})`");

    private Pretrained() {
    }

    /** Names of the shipped weight files and aliases, in the order of the index. */
    public static List<String> names() {
        return List.copyOf(index().keySet());
    }

    /** The file a name or alias stands for (a name stands for itself). */
    public static String resolve(String name) {
        String file = index().get(name);
        if (file == null) {
            throw new IllegalArgumentException("no pretrained optimizer named '" + name + "'; shipped: " + names());
        }
        return file;
    }

    private static Map<String, String> index() {
        try (InputStream in = Pretrained.class.getResourceAsStream(FOLDER + "index.txt")) {
            if (in == null) {
                return Map.of();
            }
            Map<String, String> names = new LinkedHashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    names.put(line, line);
                } else {
                    names.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            return Collections.unmodifiableMap(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads and validates a shipped weight file.
     *
     * @throws IllegalArgumentException if no file of that name is shipped (the message lists those that are)
     * @throws IOException if the shipped file is corrupt
     */
    public static OptimizerWeights load(String name) throws IOException {
        return WeightFile.readResource(Pretrained.class, FOLDER + resolve(name) + ".json");
    }

    /**
     * The shipped weight file whose tensors have {@code checksum} ({@code OptimizerWeights.checksum()}), if any:
     * for messages that tell a user which weights a saved state was made with. Reads the model cards, which quote
     * their file's checksum (a test holds them to it), not the weight files: it runs while a bad file is being
     * refused, and must stay cheap there.
     */
    public static Optional<String> withChecksum(String checksum) {
        for (String name : names()) {
            if (!resolve(name).equals(name)) {
                continue; // an alias: its file comes up under its own name
            }
            try {
                Matcher m = CARD_CHECKSUM.matcher(modelCard(name));
                if (m.find() && m.group(1).equals(checksum)) {
                    return Optional.of(name);
                }
            } catch (IOException | IllegalArgumentException e) {
                // a file without a readable card matches nothing
            }
        }
        return Optional.empty();
    }

    /** The model card (Markdown) of a shipped weight file. */
    public static String modelCard(String name) throws IOException {
        try (InputStream in = Pretrained.class.getResourceAsStream(FOLDER + resolve(name) + ".md")) {
            if (in == null) {
                throw new IllegalArgumentException("no model card for '" + name + "'; shipped: " + names());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
