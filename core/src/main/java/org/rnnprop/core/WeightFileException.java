package org.rnnprop.core;

/** A weight file that cannot be used; the message names the file and the field. */
public class WeightFileException extends FileFormatException {

    public WeightFileException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    public WeightFileException(String source, String field, String problem, Throwable cause) {
        super(source, field, problem, cause);
    }
}
