package dev.distillery.student.serving;

/** No model to serve yet: no checkpoint has been loaded and serving the untrained base is off. */
public class ModelNotReadyException extends RuntimeException {
    public ModelNotReadyException(String message) {
        super(message);
    }
}
