package dev.distillery.checkpoint;

import java.nio.file.Path;

/** A checkpoint directory that exists in the store, with its manifest. */
public record StoredCheckpoint(long version, Path directory, CheckpointManifest manifest) {
}
