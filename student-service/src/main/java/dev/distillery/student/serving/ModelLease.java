package dev.distillery.student.serving;

/** A reference to the served model for the duration of one forward pass; close it to let a retired model drain. */
public final class ModelLease implements AutoCloseable {

    private final ServedModel served;
    private boolean closed;

    ModelLease(ServedModel served) {
        this.served = served;
    }

    public ServedModel served() {
        return served;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            served.release();
        }
    }
}
