package dev.distillery.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * A base's own {@code tokenizer.json}, through DJL's binding of the Hugging Face tokenizers library (a native library
 * bundled in the jar: nothing is downloaded). Truncation is ours, so the same instance also counts untruncated tokens.
 */
public final class HuggingFaceTextTokenizer implements TextTokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final long padId;

    public HuggingFaceTextTokenizer(Path tokenizerJson, long padId) throws IOException {
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        this.padId = padId;
    }

    @Override
    public long[] encode(String text, int maxLength) {
        return TextTokenizer.truncateKeepingLast(tokenizer.encode(text, true, false).getIds(), maxLength);
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.encode(text, true, false).getIds().length;
    }

    @Override
    public long padId() {
        return padId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
