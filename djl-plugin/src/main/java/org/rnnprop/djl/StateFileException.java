package org.rnnprop.djl;

import java.io.IOException;

/** An optimizer state file that cannot be used; the message names the file and the field. */
public class StateFileException extends IOException {
    private final String source;
    private final String field;

    /**
     * @param source the file or stream
     * @param field the field at fault, or null when the file as a whole is unusable
     * @param problem what is wrong
     */
    public StateFileException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    /** As {@link #StateFileException(String, String, String)}, with a cause. */
    public StateFileException(String source, String field, String problem, Throwable cause) {
        super(source + ": " + (field == null ? "" : field + ": ") + problem, cause);
        this.source = source;
        this.field = field;
    }

    /** The file or stream the state came from. */
    public String source() {
        return source;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
