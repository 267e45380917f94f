package dev.distillery.model;

import java.nio.file.Path;
import java.util.List;

import dev.distillery.checkpoint.CheckpointException;

/**
 * The student: frozen base encoder + LoRA adapters + a label head, on DJL's PyTorch engine.
 * Training and inference share one class; a served instance never records gradients.
 *
 * API CONTRACT (skeleton): implemented by the student-model work; signatures are what the services code against.
 */
public final class StudentModel implements AutoCloseable {

    private StudentModel() {
    }

    /**
     * A fresh student: adapters with B = 0 (so it starts exactly as the base) and a new label head.
     *
     * @param device {@code auto}, {@code cpu} or {@code gpu}
     */
    public static StudentModel create(BaseModel base, LoraConfig lora, List<String> labels, String device, long seed) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * A student restored from a checkpoint directory written by {@link #saveAdapter}. Verifies that the adapter was
     * trained on this base (sha256) before loading it.
     */
    public static StudentModel load(BaseModel base, Path checkpointDirectory, String device) throws CheckpointException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** One forward pass over a batch; thread-safe, no gradients recorded, native memory released on return. */
    public List<Prediction> predict(List<String> texts) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * One optimizer step (AdamW) of cross-entropy against target distributions (one-hot for a hard teacher label).
     *
     * @param targets one row per text, one column per label, each row summing to 1
     * @return the batch's mean loss before the step
     */
    public double trainStep(List<String> texts, float[][] targets, double learningRate) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} (PEFT-style names) into the
     * directory, which must exist. Metadata ({@code distillery.json}) is the checkpoint store's job.
     */
    public void saveAdapter(Path directory) throws java.io.IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    public List<String> labels() {
        throw new UnsupportedOperationException("skeleton");
    }

    public BaseModel base() {
        throw new UnsupportedOperationException("skeleton");
    }

    public LoraConfig lora() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** {@code cpu()} or {@code gpu(0)}: where the model actually runs. */
    public String device() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Number of trainable parameters (adapters + head) and of all parameters. */
    public long trainableParameters() {
        throw new UnsupportedOperationException("skeleton");
    }

    public long totalParameters() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public void close() {
    }
}
