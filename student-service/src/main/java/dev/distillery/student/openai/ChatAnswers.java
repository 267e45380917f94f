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
import dev.distillery.student.cascade.CascadeAnswer;
import dev.distillery.task.TaskSpec;

/**
 * Turns one classification into OpenAI's answer. Choice i is the (i+1)-th most probable label written with the
 * task's answer template ({@code Final Answer: en}). As tokens, an answer is the template's text before the label
 * (certain: log-probability 0), the label (log-probability of the label; its {@code top_logprobs} are the most
 * probable labels), and the text after it, if any: so a client reading the log-probabilities of the token after
 * the answer prefix (as the teacher does) reads the student's distribution. {@code completion_tokens} counts the
 * label token of each choice, the only thing decided; {@code prompt_tokens} the query's tokens as the model read them
 * (no task prompt, after truncation).
 *
 * <p>Under the cascade the answer may be the teacher's: choice 0 is then the teacher's label and the others the
 * student's next most probable labels; the log-probabilities stay the student's (what it computed for each label, as
 * for a sampled token that is not the arg-max), and {@code model}, {@code system_fingerprint} and the extension field
 * {@code answeredBy} say who answered. Before the first checkpoint there is no student distribution: the teacher's
 * label is the only choice and carries no log-probabilities.
 */
public final class ChatAnswers {

    /** {@code system_fingerprint} of an answer the teacher gave. */
    public static final String TEACHER_FINGERPRINT = "teacher";

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
            ChatCompletion.Usage usage, String answeredBy) {
    }

    public record ChunkChoice(int index, Delta delta, Logprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {
    }

    public record Delta(String role, String content) {
    }

    /**
     * @param answer     the serving policy's answer for the last user message
     * @param checkpoint the checkpoint version the student used (null: none served, or the untrained base)
     */
    public ChatCompletion completion(CascadeAnswer answer, Long checkpoint, ChatOptions options) {
        Prediction p = answer.student();
        boolean byTeacher = CascadeAnswer.BY_TEACHER.equals(answer.answeredBy());
        List<ChatCompletion.Choice> choices = new ArrayList<>();
        List<String> ranked = ranked(answer, p);
        for (int i = 0; i < Math.min(options.n(), ranked.size()); i++) {
            String label = ranked.get(i);
            choices.add(new ChatCompletion.Choice(i, new ChatCompletion.Message("assistant", task.formatAnswer(label)),
                    options.logprobs() && p != null ? logprobs(p, studentRanking(p), label, options.topLogprobs())
                            : null, "stop"));
        }
        return new ChatCompletion("chatcmpl-" + UUID.randomUUID(), "chat.completion", Instant.now().getEpochSecond(),
                byTeacher ? ChatModelName.teacher(task) : ChatModelName.answered(task, checkpoint), choices,
                usage(p, choices.size()), byTeacher ? TEACHER_FINGERPRINT : fingerprint(checkpoint), checkpoint,
                answer.answeredBy(), answer.deferred());
    }

    /** The stream: one chunk per choice carrying its whole answer and {@code finish_reason}, then usage if asked. */
    public List<Chunk> chunks(ChatCompletion completion, ChatOptions options) {
        List<Chunk> chunks = new ArrayList<>();
        for (ChatCompletion.Choice c : completion.choices()) {
            chunks.add(new Chunk(completion.id(), "chat.completion.chunk", completion.created(), completion.model(),
                    completion.systemFingerprint(), List.of(new ChunkChoice(c.index(),
                            new Delta("assistant", c.message().content()), (Logprobs) c.logprobs(), c.finishReason())),
                    null, completion.answeredBy()));
        }
        if (options.includeUsage()) {
            chunks.add(new Chunk(completion.id(), "chat.completion.chunk", completion.created(), completion.model(),
                    completion.systemFingerprint(), List.of(), completion.usage(), completion.answeredBy()));
        }
        return chunks;
    }

    /** The student's tokens (none when only the teacher answered); one label token per choice. */
    private static ChatCompletion.Usage usage(Prediction p, int choices) {
        int prompt = p == null ? 0 : p.tokens();
        return new ChatCompletion.Usage(prompt, choices, prompt + choices);
    }

    private static String fingerprint(Long checkpoint) {
        return checkpoint == null ? "untrained-base" : "checkpoint-v" + checkpoint;
    }

    /**
     * Label indices of the choices: the answer's label first (the student's arg-max, or the teacher's), then the
     * student's other labels by probability; only the answer's label without a student prediction.
     */
    private List<String> ranked(CascadeAnswer answer, Prediction p) {
        List<String> out = new ArrayList<>();
        out.add(answer.label());
        if (p != null) {
            studentRanking(p).stream().map(task.labels()::get).filter(l -> !l.equals(answer.label()))
                    .forEach(out::add);
        }
        return out;
    }

    /** Label indices, most probable first. */
    private static List<Integer> studentRanking(Prediction p) {
        return IntStream.range(0, p.probabilities().size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> p.probabilities().get(i)).reversed())
                .toList();
    }

    private Logprobs logprobs(Prediction p, List<Integer> ranked, String label, int top) {
        List<TokenLogprob> content = new ArrayList<>();
        if (!prefix.isEmpty()) {
            content.add(certain(prefix, top));
        }
        List<TopLogprob> alternatives = ranked.stream().limit(top)
                .map(i -> new TopLogprob(task.labels().get(i), logprob(p, i), bytes(task.labels().get(i))))
                .toList();
        int chosen = task.labelIndex(label);
        content.add(new TokenLogprob(label, chosen < 0 ? MIN_LOGPROB : logprob(p, chosen), bytes(label), alternatives));
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
