package dev.distillery.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.distillery.messages.RejectReason;
import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.teacher.labeling.TeacherException;
import dev.distillery.teacher.labeling.TeacherReply;
import dev.distillery.teacher.llm.ChatCompletionsStub.Reply;
import dev.distillery.teacher.llm.OpenAiTeacher.TokenLimitField;
import dev.distillery.teacher.metrics.TeacherMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The openai teacher (official SDK underneath) against a stub of the chat-completions API (no real LLM here): a
 * matrix of servers as they are met today: reasoning models that refuse max_tokens and temperature, older servers
 * that only know max_tokens, servers without logprobs, truncated and refused answers, 408/409/429/503, Azure.
 */
class OpenAiTeacherStubTest {

    private static final TaskSpec TASK = TaskSpec.languageId();

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private ChatCompletionsStub stub;

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    private OpenAiTeacher teacher(ChatCompletionsStub.Server server, TokenLimitField field, Optional<String> azure,
            Duration timeout, int maxRetries, int maxConcurrency) throws Exception {
        stopStub();
        stub = ChatCompletionsStub.serving(server);
        OpenAiTeacher.Settings settings = new OpenAiTeacher.Settings(azure.isPresent() ? stub.root() : stub.baseUrl(),
                "stub-model", Optional.of("sk-test"), azure, 0.0, 16, field, 20, timeout, maxConcurrency, maxRetries);
        return new OpenAiTeacher(settings, TASK.prompt(), sleeps::add, (failure, attempt, wait) -> retries.add(failure));
    }

    private OpenAiTeacher teacher(ChatCompletionsStub.Server server) throws Exception {
        return teacher(server, TokenLimitField.AUTO, Optional.empty(), Duration.ofSeconds(5), 3, 4);
    }

    @Test
    void sendsPromptAsSystemMessageMaxCompletionTokensAndAsksForLogprobs() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.answer("Final Answer: fr"));
        TeacherReply reply = teacher.answer("Bonjour tout le monde");
        assertEquals("Final Answer: fr", reply.response());
        assertEquals(120, reply.usage().promptTokens());
        assertEquals(3, reply.usage().completionTokens());
        assertEquals(1, reply.attempts());
        ChatCompletionsStub.Request request = stub.requests().getFirst();
        assertEquals("/v1/chat/completions", request.path());
        assertEquals(TASK.prompt(), request.system());
        assertEquals("Bonjour tout le monde", request.user());
        assertEquals("system", request.body().path("messages").path(0).path("role").asText());
        assertEquals("stub-model", request.body().path("model").asText());
        assertEquals(0.0, request.body().path("temperature").asDouble(-1));
        assertEquals(16, request.body().path("max_completion_tokens").asInt());
        assertFalse(request.body().has("max_tokens"));
        assertTrue(request.body().path("logprobs").asBoolean());
        assertEquals(20, request.body().path("top_logprobs").asInt());
        assertEquals("Bearer sk-test", request.authorization());
        assertTrue(sleeps.isEmpty());
    }

    /** As OpenAI's o-series and gpt-5 answer: max_tokens and a non-default temperature are refused. */
    private static Reply reasoningModel(ChatCompletionsStub.Request r) {
        if (r.body().has("max_tokens")) {
            return Reply.badParameter("max_tokens", "Unsupported parameter: 'max_tokens' is not supported with this"
                    + " model. Use 'max_completion_tokens' instead.");
        }
        if (r.body().has("temperature") && r.body().path("temperature").asDouble() != 1.0) {
            return Reply.badParameter("temperature", "Unsupported value: 'temperature' does not support 0.0 with"
                    + " this model. Only the default (1) value is supported.");
        }
        return Reply.answer("Final Answer: de");
    }

    @Test
    void reasoningModelRefusingMaxTokensAndTemperatureIsAnswered() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> reasoningModel(r));
        assertEquals("Final Answer: de", teacher.answer("Guten Morgen, wie geht es dir?").response());
        assertEquals(List.of("temperature"), teacher.refusedParameters());
        assertEquals("Final Answer: de", teacher.answer("Wo ist der Bahnhof, bitte?").response());
        assertEquals(3, stub.requests().size(), "the lesson is kept: the second query takes one request");
        assertTrue(stub.requests().stream().noneMatch(r -> r.body().has("max_tokens")));
        assertFalse(stub.requests().getLast().body().has("temperature"));
    }

    @Test
    void reasoningModelConfiguredForMaxTokensFailsWithTheServersMessage() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> reasoningModel(r), TokenLimitField.MAX_TOKENS,
                Optional.empty(), Duration.ofSeconds(5), 3, 4);
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Guten Morgen"));
        assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains("max_completion_tokens"), e.getMessage());
        assertEquals(1, stub.requests().size(), "a 400 is not retried when the field was fixed by configuration");
    }

    @Test
    void serverThatOnlyKnowsMaxTokensGetsMaxTokens() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> r.body().has("max_completion_tokens")
                ? Reply.badParameter(null, "Unrecognized request argument supplied: max_completion_tokens")
                : Reply.answer("Final Answer: es"));
        assertEquals("Final Answer: es", teacher.answer("¿Dónde está la estación?").response());
        assertEquals("Final Answer: es", teacher.answer("¿Qué hora es?").response());
        assertEquals(List.of("max_completion_tokens"), teacher.refusedParameters());
        assertEquals(3, stub.requests().size());
        assertEquals(16, stub.requests().getLast().body().path("max_tokens").asInt());
    }

    @Test
    void serverWithoutLogprobsIsAskedWithoutThemAndTheExampleHasNoDistribution() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> r.body().has("logprobs")
                ? Reply.badParameter("logprobs", "logprobs is not supported by this server")
                : Reply.answer("Final Answer: vi"));
        Outcome.Labeled l = assertInstanceOf(Outcome.Labeled.class, labeler(teacher).label("id-5", "Tôi yêu Việt Nam"));
        assertEquals("vi", l.example().label());
        assertNull(l.example().distribution());
        assertEquals(List.of("logprobs"), teacher.refusedParameters());
    }

    @Test
    void logprobsOfTheLabelTokenBecomeTheDistributionOverLabels() throws Exception {
        Map<String, Double> top = new LinkedHashMap<>();
        top.put(" fr", 0.70);
        top.put(" es", 0.20);
        top.put(" it", 0.05); // not a label: dropped
        top.put(" FR", 0.05); // the same label spelled otherwise: counted for fr
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.withLogprobs("Final Answer:", " fr", top));
        Outcome.Labeled l = assertInstanceOf(Outcome.Labeled.class, labeler(teacher).label("id-6", "Bonjour à tous"));
        assertEquals("fr", l.example().label());
        Map<String, Double> d = l.example().distribution();
        assertEquals(Map.of("fr", 0.75 / 0.95, "es", 0.20 / 0.95).keySet(), d.keySet());
        assertEquals(0.75 / 0.95, d.get("fr"), 1e-9);
        assertEquals(0.20 / 0.95, d.get("es"), 1e-9);
    }

    @Test
    void truncatedAnswerIsRejectedAsTruncated() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.finished("Final Ans", "length", null));
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class, labeler(teacher).label("id-7", "Hello there"));
        assertEquals(RejectReason.ANSWER_TRUNCATED, r.reason());
        assertEquals("Final Ans", r.response());
        assertTrue(r.detail().contains("max-tokens"), r.detail());
    }

    @Test
    void refusedAnswerIsRejectedAsRefused() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.finished(null, "stop", "I can't help with that."));
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class, labeler(teacher).label("id-8", "Something odd"));
        assertEquals(RejectReason.TEACHER_REFUSED, r.reason());
        assertEquals("I can't help with that.", r.response());
        OpenAiTeacher filtered = teacher((q, attempt) -> Reply.finished("", "content_filter", null));
        Outcome.Rejection f = assertInstanceOf(Outcome.Rejection.class, labeler(filtered).label("id-9", "Filtered"));
        assertEquals(RejectReason.TEACHER_REFUSED, f.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 409, 429, 503 })
    void retryableStatusThenSuccessWaitsRetryAfter(int status) throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> attempt == 1
                ? Reply.status(status, Map.of("Retry-After", "2"))
                : Reply.answer("Final Answer: en"));
        TeacherReply reply = teacher.answer("Where is the train station?");
        assertEquals("Final Answer: en", reply.response());
        assertEquals(2, reply.attempts());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps, "waited what Retry-After said");
        assertEquals(List.of("HTTP " + status), retries);
        assertEquals("1", stub.requests().getLast().headers().get("x-stainless-retry-count"));
    }

    @Test
    void withoutRetryAfterTheWaitsGrowExponentially() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> attempt <= 3
                ? Reply.status(503, Map.of())
                : Reply.answer("Final Answer: es"));
        assertEquals(4, teacher.answer("¿Dónde está la estación?").attempts());
        assertEquals(3, sleeps.size());
        // 0.5 s, 1 s, 2 s, each shortened by up to 25% jitter
        for (int i = 0; i < 3; i++) {
            long full = 500L << i;
            long ms = sleeps.get(i).toMillis();
            assertTrue(ms >= full * 3 / 4 && ms <= full, () -> "waits " + sleeps);
        }
    }

    @Test
    void timeoutIsRetried() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> attempt == 1
                ? Reply.answer("Final Answer: en").after(3_000)
                : Reply.answer("Final Answer: en"), TokenLimitField.AUTO, Optional.empty(), Duration.ofMillis(300), 2, 4);
        TeacherReply reply = teacher.answer("Where is the train station?");
        assertEquals("Final Answer: en", reply.response());
        assertEquals(2, reply.attempts());
        assertTrue(retries.getFirst().startsWith("no response within"), () -> retries.toString());
    }

    @Test
    void serverErrorsExhaustRetriesAndTheQueryIsRejectedAsTeacherFailed() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.status(500, Map.of("retry-after-ms", "1")));
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class,
                labeler(teacher).label("id-1", "Always failing upstream"));
        assertEquals(RejectReason.TEACHER_FAILED, r.reason());
        assertTrue(r.detail().contains("gave up after 4 attempts, last: HTTP 500"), r.detail());
        assertEquals(4, stub.attempts("Always failing upstream"), "first attempt + 3 retries");
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.status(401, Map.of()));
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Unauthorized call here"));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(1, stub.attempts("Unauthorized call here"));
    }

    @Test
    void azureEndpointUsesDeploymentPathApiVersionAndApiKeyHeader() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.answer("Final Answer: tr"), TokenLimitField.AUTO,
                Optional.of("2024-10-21"), Duration.ofSeconds(5), 1, 2);
        assertEquals("Final Answer: tr", teacher.answer("Merhaba, nasılsın?").response());
        ChatCompletionsStub.Request request = stub.requests().getFirst();
        assertEquals("/openai/deployments/stub-model/chat/completions", request.path());
        assertEquals("api-version=2024-10-21", request.query());
        assertEquals("sk-test", request.headers().get("api-key"));
        assertNull(request.authorization());
    }

    @Test
    void localServerWithoutKeyGetsNoAuthorizationHeader() throws Exception {
        stub = ChatCompletionsStub.serving((r, attempt) -> Reply.answer("Final Answer: en"));
        OpenAiTeacher teacher = new OpenAiTeacher(new OpenAiTeacher.Settings(stub.baseUrl(), "local", Optional.empty(),
                Optional.empty(), 0.0, 16, TokenLimitField.AUTO, 0, Duration.ofSeconds(5), 1, 0), TASK.prompt(),
                (failure, attempt, wait) -> retries.add(failure));
        assertEquals("Final Answer: en", teacher.answer("Hello there").response());
        assertNull(stub.requests().getFirst().authorization());
        assertFalse(stub.requests().getFirst().body().has("logprobs"), "top-logprobs=0 asks for none");
    }

    @Test
    void unparseableAnswerIsRejectedKeepingTheRawResponse() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.answer("I believe this is French."));
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class,
                labeler(teacher).label("id-2", "Bonjour tout le monde"));
        assertEquals(RejectReason.ANSWER_UNPARSEABLE, r.reason());
        assertEquals("I believe this is French.", r.response());
    }

    @Test
    void malformedCompletionBodyFailsTheTeacher() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> new Reply(200, Map.of(), "{\"choices\": []}", 0));
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Where did it go?"));
        assertTrue(e.getMessage().contains("choices[0].message.content"), e.getMessage());
    }

    @Test
    void concurrencyIsBounded() throws Exception {
        OpenAiTeacher teacher = teacher((r, attempt) -> Reply.answer("Final Answer: en").after(100),
                TokenLimitField.AUTO, Optional.empty(), Duration.ofSeconds(5), 0, 3);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<TeacherReply>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String text = "Parallel English query number " + i;
                futures.add(pool.submit(() -> teacher.answer(text)));
            }
            for (Future<TeacherReply> f : futures) {
                assertEquals("Final Answer: en", f.get().response());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(stub.maxInFlight() <= 3, () -> "in flight at once: " + stub.maxInFlight());
        assertTrue(stub.maxInFlight() >= 2, () -> "requests did overlap: " + stub.maxInFlight());
    }

    private static Labeler labeler(OpenAiTeacher teacher) {
        return new Labeler(teacher, TASK, new TeacherMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }
}
