package dev.distillery.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The frozen base the student adapts: a BERT-family encoder config, its weights and its tokenizer.
 * Either the embedded {@code tiny} base (built in code from a fixed seed: randomly initialised, nothing downloaded)
 * or a Hugging Face directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}).
 *
 * API CONTRACT (skeleton): implemented by the student-model work; signatures are what the services code against.
 */
public final class BaseModel {

    private BaseModel() {
    }

    /** The embedded randomly-initialised base, identical on every machine (fixed seed). */
    public static BaseModel tiny() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** A Hugging Face BERT-layout directory; BF16/F16 tensors are widened to F32. */
    public static BaseModel load(Path directory) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** {@code tiny} or a path given by configuration ({@code distillery.model.base}). */
    public static BaseModel resolve(String idOrPath) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** e.g. {@code tiny} or the directory name of a Hugging Face model. */
    public String id() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** sha256 over the base weights: an adapter is only valid on the exact base it was trained on. */
    public String sha256() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Tokens the base's tokenizer produces for a text, without truncation (for prompt-cost accounting). */
    public int countTokens(String text) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Longest input, in tokens, the model reads; longer inputs are truncated. */
    public int maxLength() {
        throw new UnsupportedOperationException("skeleton");
    }
}
