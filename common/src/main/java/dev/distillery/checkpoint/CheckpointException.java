package dev.distillery.checkpoint;

/** A checkpoint that cannot be used: missing files, wrong sha256, another base model or task, unreadable tensors. */
public class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
