package dev.distillery.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.distillery.messages.RejectReason;
import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.teacher.labeling.TeacherException;
import dev.distillery.teacher.labeling.TeacherReply;
import dev.distillery.teacher.llm.ChatCompletionsStub.Reply;
import dev.distillery.teacher.metrics.TeacherMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The openai teacher against a local stub of the chat-completions API (no real LLM here). */
class OpenAiTeacherStubTest {

    private static final TaskSpec TASK = TaskSpec.languageId();
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(40);

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private ChatCompletionsStub stub;

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    private OpenAiTeacher teacher(BiFunction<String, Integer, Reply> responder, Duration timeout, int maxRetries,
            int maxConcurrency) throws Exception {
        stub = new ChatCompletionsStub(responder);
        OpenAiTeacher.Settings settings = new OpenAiTeacher.Settings(stub.baseUrl(), "stub-model",
                Optional.of("sk-test"), 0.0, 16, timeout, maxConcurrency, maxRetries, INITIAL_BACKOFF,
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        return new OpenAiTeacher(settings, TASK.prompt(), d -> sleeps.add(d), RandomGenerator.of("L64X128MixRandom"),
                (failure, attempt, wait) -> retries.add(failure));
    }

    private OpenAiTeacher teacher(BiFunction<String, Integer, Reply> responder) throws Exception {
        return teacher(responder, Duration.ofSeconds(5), 3, 4);
    }

    @Test
    void successSendsPromptAsSystemMessageAndRecordsUsage() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("Final Answer: fr"));
        TeacherReply reply = teacher.answer("Bonjour tout le monde");
        assertEquals("Final Answer: fr", reply.response());
        assertEquals(120, reply.usage().promptTokens());
        assertEquals(3, reply.usage().completionTokens());
        assertEquals(1, reply.attempts());
        ChatCompletionsStub.Request request = stub.requests().getFirst();
        assertEquals(TASK.prompt(), request.system());
        assertEquals("Bonjour tout le monde", request.user());
        assertEquals("system", request.body().path("messages").path(0).path("role").asText());
        assertEquals("user", request.body().path("messages").path(1).path("role").asText());
        assertEquals("stub-model", request.body().path("model").asText());
        assertEquals(0.0, request.body().path("temperature").asDouble(-1));
        assertEquals(16, request.body().path("max_tokens").asInt());
        assertEquals("Bearer sk-test", request.authorization());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void rateLimitedThenSuccessWaitsRetryAfter() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> attempt == 1
                ? Reply.status(429, Map.of("Retry-After", "2"))
                : Reply.answer("Final Answer: de"));
        TeacherReply reply = teacher.answer("Guten Morgen, wie geht es dir?");
        assertEquals("Final Answer: de", reply.response());
        assertEquals(2, reply.attempts());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps, "waited what Retry-After said");
        assertEquals(List.of("HTTP 429"), retries);
    }

    @Test
    void unavailableThenSuccessBacksOffExponentiallyWithJitter() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> attempt <= 2
                ? Reply.status(503, Map.of())
                : Reply.answer("Final Answer: es"));
        TeacherReply reply = teacher.answer("¿Dónde está la estación?");
        assertEquals("Final Answer: es", reply.response());
        assertEquals(3, reply.attempts());
        assertEquals(2, sleeps.size());
        // attempt 1: base 40 ms -> wait in [20, 40]; attempt 2: base 80 ms -> wait in [40, 80]
        assertTrue(sleeps.get(0).toMillis() >= 20 && sleeps.get(0).toMillis() <= 40, () -> "first wait " + sleeps);
        assertTrue(sleeps.get(1).toMillis() >= 40 && sleeps.get(1).toMillis() <= 80, () -> "second wait " + sleeps);
    }

    @Test
    void timeoutIsRetried() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> attempt == 1
                ? Reply.answer("Final Answer: en").after(3_000)
                : Reply.answer("Final Answer: en"), Duration.ofMillis(300), 2, 4);
        TeacherReply reply = teacher.answer("Where is the train station?");
        assertEquals("Final Answer: en", reply.response());
        assertEquals(2, reply.attempts());
        assertTrue(retries.getFirst().startsWith("no response within"), () -> retries.toString());
    }

    @Test
    void persistentTimeoutsFailAfterTheRetries() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("Final Answer: en").after(3_000),
                Duration.ofMillis(200), 1, 4);
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Slow as molasses today"));
        assertTrue(e.getMessage().contains("gave up after 2 attempts"), e.getMessage());
        assertEquals(1, sleeps.size());
    }

    @Test
    void serverErrorsExhaustRetriesAndTheQueryIsRejectedAsTeacherFailed() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.status(500, Map.of()));
        Outcome outcome = labeler(teacher).label("id-1", "Always failing upstream");
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class, outcome);
        assertEquals(RejectReason.TEACHER_FAILED, r.reason());
        assertEquals(4, stub.attempts("Always failing upstream"), "first attempt + 3 retries");
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.status(401, Map.of()));
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Unauthorized call here"));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(1, stub.attempts("Unauthorized call here"));
    }

    @Test
    void unparseableAnswerIsRejectedKeepingTheRawResponse() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("I believe this is French."));
        Outcome outcome = labeler(teacher).label("id-2", "Bonjour tout le monde");
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class, outcome);
        assertEquals(RejectReason.ANSWER_UNPARSEABLE, r.reason());
        assertEquals("I believe this is French.", r.response());
        assertTrue(r.detail().contains("I believe this is French."));
    }

    @Test
    void labelOutsideTheSetIsRejected() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("Final Answer: it"));
        Outcome outcome = labeler(teacher).label("id-3", "Ciao a tutti, come state?");
        Outcome.Rejection r = assertInstanceOf(Outcome.Rejection.class, outcome);
        assertEquals(RejectReason.LABEL_NOT_IN_SET, r.reason());
        assertEquals("Final Answer: it", r.response());
    }

    @Test
    void validAnswerBecomesALabeledExampleWithUsage() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("Final Answer: vi"));
        Outcome outcome = labeler(teacher).label("id-4", "Tôi yêu Việt Nam");
        Outcome.Labeled l = assertInstanceOf(Outcome.Labeled.class, outcome);
        assertEquals("vi", l.example().label());
        assertEquals("openai", l.example().teacher().kind());
        assertEquals("stub-model", l.example().teacher().model());
        assertEquals(TASK.promptSha256(), l.example().teacher().promptSha256());
        assertEquals(120, l.example().usage().promptTokens());
    }

    @Test
    void malformedCompletionBodyFailsTheTeacher() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> new Reply(200, Map.of(), "{\"choices\": []}", 0));
        TeacherException e = assertThrows(TeacherException.class, () -> teacher.answer("Where did it go?"));
        assertTrue(e.getMessage().contains("choices[0].message.content"), e.getMessage());
    }

    @Test
    void concurrencyIsBounded() throws Exception {
        OpenAiTeacher teacher = teacher((text, attempt) -> Reply.answer("Final Answer: en").after(100),
                Duration.ofSeconds(5), 0, 3);
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

    @Test
    void retryAfterAcceptsAnHttpDate() {
        String in3s = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = OpenAiTeacher.parseRetryAfter(in3s).orElseThrow();
        assertTrue(d.toMillis() > 1000 && d.toMillis() <= 3000, d::toString);
        assertEquals(Optional.of(Duration.ofMillis(1500)), OpenAiTeacher.parseRetryAfter("1.5"));
        assertEquals(Optional.empty(), OpenAiTeacher.parseRetryAfter("soon"));
    }

    private static Labeler labeler(OpenAiTeacher teacher) {
        return new Labeler(teacher, TASK, new TeacherMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }
}
