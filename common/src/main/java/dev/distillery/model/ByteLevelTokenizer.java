package dev.distillery.model;

import java.nio.charset.StandardCharsets;

/**
 * The built-in tokenizer of the embedded {@code tiny} base: one token per UTF-8 byte, after four special tokens.
 * Every language and script is covered without a vocabulary file; non-Latin scripts cost 2-3 tokens a character.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    public static final int PAD = 0;
    public static final int CLS = 1;
    public static final int SEP = 2;
    public static final int UNK = 3;
    public static final int FIRST_BYTE = 4;
    public static final int VOCAB_SIZE = FIRST_BYTE + 256;

    @Override
    public long[] encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, maxLength - 2);
        long[] ids = new long[n + 2];
        ids[0] = CLS;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = FIRST_BYTE + (bytes[i] & 0xff);
        }
        ids[n + 1] = SEP;
        return ids;
    }

    @Override
    public int countTokens(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length + 2;
    }

    @Override
    public long padId() {
        return PAD;
    }
}
