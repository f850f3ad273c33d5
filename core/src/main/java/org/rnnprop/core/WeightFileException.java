package org.rnnprop.core;

import java.io.IOException;

/** A weight file that cannot be used; the message names the file and the field. */
public class WeightFileException extends IOException {
    private final String source;
    private final String field;

    public WeightFileException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    public WeightFileException(String source, String field, String problem, Throwable cause) {
        super(source + ": " + (field == null ? "" : field + ": ") + problem, cause);
        this.source = source;
        this.field = field;
    }

    /** The file, resource or stream the weights came from. */
    public String source() {
        return source;
    }

    /** The JSON field at fault, or null when the file as a whole is unreadable. */
    public String field() {
        return field;
    }
}
