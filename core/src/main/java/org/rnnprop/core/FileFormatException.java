package org.rnnprop.core;

import java.io.IOException;

/** A file that cannot be used; the message names the file (or stream) and the field at fault. */
public class FileFormatException extends IOException {
    private final String source;
    private final String field;

    /**
     * @param source the file, resource or stream
     * @param field the field at fault, or null when the file as a whole is unusable
     * @param problem what is wrong
     * @param cause the underlying error, or null
     */
    public FileFormatException(String source, String field, String problem, Throwable cause) {
        super(source + ": " + (field == null ? "" : field + ": ") + problem, cause);
        this.source = source;
        this.field = field;
    }

    /** The file, resource or stream the data came from. */
    public String source() {
        return source;
    }

    /** The field at fault, or null when the file as a whole is unusable. */
    public String field() {
        return field;
    }
}
