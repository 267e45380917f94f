package dev.distillery.student.openai;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.distillery.model.Prediction;
import dev.distillery.student.api.ChatCompletion;
import dev.distillery.student.serving.Inference;
import dev.distillery.task.TaskSpec;

/**
 * Turns one classification into OpenAI's answer. Choice i is the (i+1)-th most probable label written with the
 * task's answer template ({@code Final Answer: en}). As tokens, an answer is the template's text before the label
 * (certain: log-probability 0), the label (log-probability of the label; its {@code top_logprobs} are the most
 * probable labels), and the text after it, if any: so a client reading the log-probabilities of the token after
 * the answer prefix (as the teacher does) reads the student's distribution. {@code completion_tokens} counts the
 * label token of each choice, the only thing decided; {@code prompt_tokens} the query's tokens as the model read them
 * (no task prompt, after truncation).
 */
public final class ChatAnswers {

    /** OpenAI's floor for a token with no probability left. */
    static final double MIN_LOGPROB = -9999.0;

    private final TaskSpec task;
    private final String prefix;
    private final String suffix;

    public ChatAnswers(TaskSpec task) {
        this.task = task;
        String template = task.formatAnswer("\u0000");
        int at = template.indexOf('\u0000');
        this.prefix = template.substring(0, at);
        this.suffix = template.substring(at + 1);
    }

    public record Logprobs(List<TokenLogprob> content, List<TokenLogprob> refusal) {
    }

    public record TokenLogprob(String token, double logprob, List<Integer> bytes,
            @JsonProperty("top_logprobs") List<TopLogprob> topLogprobs) {
    }

    public record TopLogprob(String token, double logprob, List<Integer> bytes) {
    }

    /** One {@code chat.completion.chunk} of a stream. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Chunk(String id, String object, long created, String model,
            @JsonProperty("system_fingerprint") String systemFingerprint, List<ChunkChoice> choices,
            ChatCompletion.Usage usage) {
    }

    public record ChunkChoice(int index, Delta delta, Logprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {
    }

    public record Delta(String role, String content) {
    }

    public ChatCompletion completion(Inference inference, ChatOptions options) {
        Prediction p = inference.predictions().getFirst();
        List<ChatCompletion.Choice> choices = new ArrayList<>();
        List<Integer> ranked = ranked(p);
        for (int i = 0; i < options.n(); i++) {
            String label = task.labels().get(ranked.get(i));
            choices.add(new ChatCompletion.Choice(i, new ChatCompletion.Message("assistant", task.formatAnswer(label)),
                    options.logprobs() ? logprobs(p, ranked, ranked.get(i), options.topLogprobs()) : null, "stop"));
        }
        return new ChatCompletion("chatcmpl-" + UUID.randomUUID(), "chat.completion", Instant.now().getEpochSecond(),
                ChatModelName.answered(task, inference.version()), choices, usage(p, options),
                fingerprint(inference), inference.version());
    }

    /** The stream: one chunk per choice carrying its whole answer and {@code finish_reason}, then usage if asked. */
    public List<Chunk> chunks(ChatCompletion completion, ChatOptions options) {
        List<Chunk> chunks = new ArrayList<>();
        for (ChatCompletion.Choice c : completion.choices()) {
            chunks.add(new Chunk(completion.id(), "chat.completion.chunk", completion.created(), completion.model(),
                    completion.systemFingerprint(), List.of(new ChunkChoice(c.index(),
                            new Delta("assistant", c.message().content()), (Logprobs) c.logprobs(), c.finishReason())),
                    null));
        }
        if (options.includeUsage()) {
            chunks.add(new Chunk(completion.id(), "chat.completion.chunk", completion.created(), completion.model(),
                    completion.systemFingerprint(), List.of(), completion.usage()));
        }
        return chunks;
    }

    private ChatCompletion.Usage usage(Prediction p, ChatOptions options) {
        return new ChatCompletion.Usage(p.tokens(), options.n(), p.tokens() + options.n());
    }

    private static String fingerprint(Inference inference) {
        return inference.version() == null ? "untrained-base" : "checkpoint-v" + inference.version();
    }

    /** Label indices, most probable first. */
    private static List<Integer> ranked(Prediction p) {
        return IntStream.range(0, p.probabilities().size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> p.probabilities().get(i)).reversed())
                .toList();
    }

    private Logprobs logprobs(Prediction p, List<Integer> ranked, int chosen, int top) {
        List<TokenLogprob> content = new ArrayList<>();
        if (!prefix.isEmpty()) {
            content.add(certain(prefix, top));
        }
        List<TopLogprob> alternatives = ranked.stream().limit(top)
                .map(i -> new TopLogprob(task.labels().get(i), logprob(p, i), bytes(task.labels().get(i))))
                .toList();
        String label = task.labels().get(chosen);
        content.add(new TokenLogprob(label, logprob(p, chosen), bytes(label), alternatives));
        if (!suffix.isEmpty()) {
            content.add(certain(suffix, top));
        }
        return new Logprobs(content, null);
    }

    private static TokenLogprob certain(String token, int top) {
        return new TokenLogprob(token, 0.0, bytes(token),
                top == 0 ? List.of() : List.of(new TopLogprob(token, 0.0, bytes(token))));
    }

    private static double logprob(Prediction p, int label) {
        double prob = p.probabilities().get(label);
        return prob > 0 ? Math.max(MIN_LOGPROB, Math.log(prob)) : MIN_LOGPROB;
    }

    private static List<Integer> bytes(String token) {
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>(b.length);
        for (byte x : b) {
            out.add(x & 0xff);
        }
        return out;
    }
}
