package dev.distillery.teacher.llm;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import dev.distillery.messages.LabeledExample.Usage;
import dev.distillery.messages.RejectReason;
import dev.distillery.teacher.labeling.Teacher;
import dev.distillery.teacher.labeling.TeacherException;
import dev.distillery.teacher.labeling.TeacherReply;

/**
 * A teacher behind an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp
 * server): the task prompt P is the system message and the query the user message. The official SDK carries the
 * HTTP, the retries (408, 409, 429, 5xx, timeouts and connection errors, with exponential backoff, jitter and the
 * server's Retry-After) and the Azure routing ({@link OpenAiClients}); this class decides what to ask and what an
 * answer is worth. At most {@code maxConcurrency} requests are in flight at once (a permit is held across the SDK's
 * retries). Truncated ({@code finish_reason=length}) and refused answers are rejected with their own reasons.
 *
 * <p>Servers differ in what they accept; each difference is learned once, from the 400 that names the parameter,
 * and the request is sent again without it: reasoning models refuse {@code max_tokens} (so
 * {@code max_completion_tokens} is sent first) and a non-default {@code temperature}; older servers only know
 * {@code max_tokens}; some refuse {@code logprobs}.
 */
public final class OpenAiTeacher implements Teacher {

    public static final String KIND = "openai";

    /** Which field carries the answer's token limit. */
    public enum TokenLimitField {
        /** {@code max_completion_tokens} first, {@code max_tokens} for servers that refuse it. */
        AUTO, MAX_COMPLETION_TOKENS, MAX_TOKENS;

        public static TokenLimitField parse(String value) {
            return valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param azureApiVersion set for Azure OpenAI: the key goes in the {@code api-key} header, the model is the
     *                        deployment name in {@code /openai/deployments/{model}/...}, and this is the
     *                        {@code api-version} query parameter
     * @param topLogprobs     alternatives asked for at each answer token (0 asks for no log-probabilities)
     */
    public record Settings(String baseUrl, String model, Optional<String> apiKey, Optional<String> azureApiVersion,
            double temperature, int maxTokens, TokenLimitField tokenLimitField, int topLogprobs, Duration timeout,
            int maxConcurrency, int maxRetries) {

        public Settings {
            if (maxConcurrency < 1 || maxRetries < 0 || maxTokens < 1 || topLogprobs < 0 || topLogprobs > 20) {
                throw new IllegalArgumentException(
                        "max-concurrency >= 1, max-retries >= 0, max-tokens >= 1 and top-logprobs in 0..20 needed");
            }
        }
    }

    private final Settings settings;
    private final String systemPrompt;
    private final OpenAIClient client;
    private final AttemptLog attempts;
    private final Semaphore permits;
    private final ServerQuirks quirks;

    public OpenAiTeacher(Settings settings, String systemPrompt, OpenAiClients.Sleeper sleeper,
            OpenAiClients.RetryObserver observer) {
        this.settings = settings;
        this.systemPrompt = systemPrompt;
        this.attempts = new AttemptLog(observer, settings.timeout());
        this.client = OpenAiClients.create(settings, attempts, sleeper);
        this.permits = new Semaphore(settings.maxConcurrency(), true);
        this.quirks = new ServerQuirks(settings.tokenLimitField(), settings.topLogprobs() > 0);
    }

    public OpenAiTeacher(Settings settings, String systemPrompt, OpenAiClients.RetryObserver observer) {
        this(settings, systemPrompt, duration -> Thread.sleep(duration), observer);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String model() {
        return settings.model();
    }

    /** What this server was found to refuse so far, e.g. {@code [max_completion_tokens]}. */
    public List<String> refusedParameters() {
        return quirks.refused();
    }

    @Override
    public TeacherReply answer(String text) throws TeacherException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeacherException("interrupted while waiting for a request slot", e);
        }
        AttemptLog.Call call = attempts.begin();
        try {
            for (int adaptation = 0; ; adaptation++) {
                ServerQuirks.Request sent = quirks.current();
                try {
                    ChatCompletion completion = client.chat().completions().create(params(text, sent));
                    return CompletionReader.read(completion, call.attempts());
                } catch (OpenAIServiceException e) {
                    if (adaptation < ServerQuirks.MAX_ADAPTATIONS && (e.statusCode() == 400 || e.statusCode() == 422)
                            && quirks.learn(sent, e.getMessage() + " " + e.body())) {
                        continue;
                    }
                    throw failure(e, call);
                }
            }
        } catch (OpenAIInvalidDataException e) {
            throw new TeacherException("completion body is not a chat completion: " + e.getMessage());
        } catch (OpenAIIoException | OpenAIRetryableException e) {
            throw new TeacherException("gave up after " + call.attempts() + " attempts, last: " + call.lastFailure(), e);
        } catch (OpenAIException e) {
            throw new TeacherException("teacher request failed: " + e.getMessage(), e);
        } finally {
            call.end();
            permits.release();
        }
    }

    private ChatCompletionCreateParams params(String text, ServerQuirks.Request sent) {
        ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder()
                .model(settings.model())
                .addSystemMessage(systemPrompt)
                .addUserMessage(text);
        if (sent.temperature()) {
            p.temperature(settings.temperature());
        }
        if (sent.maxCompletionTokens()) {
            p.maxCompletionTokens(settings.maxTokens());
        } else {
            p.maxTokens(settings.maxTokens());
        }
        if (sent.logprobs()) {
            p.logprobs(true).topLogprobs(settings.topLogprobs());
        }
        return p.build();
    }

    private static TeacherException failure(OpenAIServiceException e, AttemptLog.Call call) {
        int status = e.statusCode();
        if (OpenAiClients.retried(status)) {
            return new TeacherException("gave up after " + call.attempts() + " attempts, last: HTTP " + status, e);
        }
        return new TeacherException("HTTP " + status + " from the teacher: " + abbreviate(e.getMessage()), e);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** Reads the first choice: its text, usage and log-probabilities, or why it is unusable. */
    static final class CompletionReader {

        private CompletionReader() {
        }

        static TeacherReply read(ChatCompletion completion, int attempts) throws TeacherException {
            if (completion.choices().isEmpty()) {
                throw new TeacherException("completion has no choices[0].message.content");
            }
            ChatCompletion.Choice choice = completion.choices().getFirst();
            String finish = finishReason(choice);
            Optional<String> refusal = choice.message().refusal().filter(r -> !r.isBlank());
            Optional<String> content = choice.message().content();
            if (refusal.isPresent() || "content_filter".equals(finish)) {
                String why = refusal.orElse("finish_reason=content_filter");
                throw new TeacherException(RejectReason.TEACHER_REFUSED, "the teacher refused: " + abbreviate(why),
                        refusal.orElse(content.orElse(null)));
            }
            if ("length".equals(finish)) {
                throw new TeacherException(RejectReason.ANSWER_TRUNCATED,
                        "the answer was cut at the token limit (finish_reason=length); raise"
                                + " distillery.teacher.openai.max-tokens (reasoning models spend tokens on thinking)",
                        content.orElse(null));
            }
            if (content.isEmpty()) {
                throw new TeacherException("completion has no choices[0].message.content");
            }
            Usage usage = completion.usage()
                    .map(u -> new Usage(u.promptTokens(), u.completionTokens()))
                    .orElse(Usage.NONE);
            List<TeacherReply.TokenLogprob> tokens = choice.logprobs()
                    .flatMap(ChatCompletion.Choice.Logprobs::content)
                    .map(list -> list.stream().map(t -> new TeacherReply.TokenLogprob(t.token(), t.logprob(),
                            t.topLogprobs().stream()
                                    .map(a -> new TeacherReply.Alternative(a.token(), a.logprob())).toList()))
                            .toList())
                    .orElse(List.of());
            return new TeacherReply(content.get(), usage, attempts, tokens);
        }

        /** Empty when the server sent none (some local servers send null). */
        private static String finishReason(ChatCompletion.Choice choice) {
            return choice._finishReason().asKnown().map(f -> {
                try {
                    return f.asString();
                } catch (OpenAIInvalidDataException e) {
                    return "";
                }
            }).orElse("");
        }
    }
}
