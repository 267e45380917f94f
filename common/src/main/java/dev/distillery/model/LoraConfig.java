package dev.distillery.model;

import java.util.List;

/**
 * Low-rank adaptation settings (Hu et al. 2021): W x + (alpha / r) * B A x, with A, B trainable and W frozen.
 *
 * @param targetModules     which linear layers get adapters, by their Hugging Face BERT suffix:
 *                          {@code query, key, value, attention.output.dense, intermediate.dense, output.dense}
 * @param trainEmbeddings   also train the word embeddings, like PEFT's {@code modules_to_save}
 * @param tokenEvidence     give the head a token-evidence table: a trainable score per token and label, summed over
 *                          the text's tokens and added to the logits ({@code StudentModel}; common/MODEL.md)
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules, boolean trainEmbeddings,
        boolean tokenEvidence) {

    public static final List<String> ALL_LINEAR = List.of("query", "key", "value", "attention.output.dense",
            "intermediate.dense", "output.dense");

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        targetModules = List.copyOf(targetModules);
    }

    /** Without a token-evidence table: the head as adapters written before it existed have it. */
    public LoraConfig(int rank, double alpha, double dropout, List<String> targetModules, boolean trainEmbeddings) {
        this(rank, alpha, dropout, targetModules, trainEmbeddings, false);
    }

    /**
     * For the embedded {@code tiny} base: rank 8 on every linear layer plus trainable word embeddings and the
     * token-evidence table. The tiny base is
     * random, so its byte embeddings carry no meaning until trained; they are only 260 x 128 values. Measured on
     * generated 13-language data (StudentModelBenchmark): ~0.95 held-out accuracy after two epochs of 1,300 examples.
     */
    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0.0, ALL_LINEAR, true, true);
    }

    /**
     * Defaults suited to a base: rank 8 on every linear layer, the token-evidence table, and trainable embeddings only
     * when the table is small ({@link #trainEmbeddingsByDefault}).
     */
    public static LoraConfig defaultsFor(BaseModel base) {
        return new LoraConfig(8, 16, 0.0, ALL_LINEAR, trainEmbeddingsByDefault(base), true);
    }

    /**
     * Whether a base's word embeddings are worth training: yes for {@code tiny} (random, hashed buckets that carry no
     * meaning until trained: 28,740 x 128 values), no for a pretrained base, whose embeddings already mean something
     * and whose table (30,522 x 384 for MiniLM, 250k x 384 for multilingual ones) is too large to train and ship in
     * every checkpoint.
     */
    public static boolean trainEmbeddingsByDefault(BaseModel base) {
        return (long) base.config().vocabSize() * base.config().hiddenSize() <= MAX_DEFAULT_TRAINED_EMBEDDING_VALUES;
    }

    /** A {@code train-embeddings} setting: {@code auto} ({@link #trainEmbeddingsByDefault}), {@code true} or {@code false}. */
    public static boolean trainEmbeddings(String setting, BaseModel base) {
        return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> trainEmbeddingsByDefault(base);
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("train-embeddings must be auto, true or false, not '"
                    + setting + "'");
        };
    }

    /**
     * Above this many values (vocabulary x hidden size) the embeddings are frozen by default: tiny's 28,740 x 128
     * (3.7M) are trained, MiniLM's 30,522 x 384 (11.7M) are not.
     */
    static final long MAX_DEFAULT_TRAINED_EMBEDDING_VALUES = 4_000_000;

    public double scaling() {
        return alpha / rank;
    }
}
