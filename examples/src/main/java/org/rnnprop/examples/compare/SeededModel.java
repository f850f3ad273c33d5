package org.rnnprop.examples.compare;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the models of both frameworks share: a name, and the initial parameters that each seed's first run
 * recorded, from which every later run of that seed starts.
 *
 * @param <P> the framework's form of a network's parameters
 */
abstract class SeededModel<P> implements ModelUnderTest {
    private final String name;
    private final Map<Long, P> initial = new HashMap<>();

    SeededModel(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    /** The initial parameters of {@code seed}: {@code record}'s value on the seed's first run, the same after. */
    P initialParameters(long seed, Supplier<P> record) {
        return initial.computeIfAbsent(seed, s -> record.get());
    }
}
