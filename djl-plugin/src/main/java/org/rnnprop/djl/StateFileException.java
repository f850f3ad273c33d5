package org.rnnprop.djl;

import org.rnnprop.core.FileFormatException;

/** An optimizer state file that cannot be used; the message names the file and the field. */
public class StateFileException extends FileFormatException {

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
        super(source, field, problem, cause);
    }
}
