package dev.distillery.student.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.distillery.messages.MessageCodec;
import dev.distillery.task.language.LanguageIdRules;

/**
 * The client's bound on teacher calls against a slow stand-in for teacher-service's {@code POST /v1/label} (real HTTP,
 * the rules teacher's label, 300 ms per answer unless a test slows it further): calls beyond the bound wait for a free one instead of failing, the
 * teacher never sees more than the bound at once, and a wait that would outlast the timeout fails as {@code busy}.
 */
class TeacherClientWithSlowStandInTest {

    private static final long ANSWER_MILLIS = 300;
    private volatile long answerMillis = ANSWER_MILLIS;
    private final LanguageIdRules rules = new LanguageIdRules();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private java.util.concurrent.ExecutorService handlers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/v1/label", exchange -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            calls.incrementAndGet();
            try {
                String text = MessageCodec.mapper().readTree(exchange.getRequestBody()).path("text").asText();
                Thread.sleep(answerMillis);
                byte[] body = MessageCodec.mapper().createObjectNode().put("label", rules.classify(text))
                        .put("response", "Final Answer: " + rules.classify(text)).toString()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void callsBeyondTheBoundWaitForAFreeOneAndAllGetTheTeachersAnswer() throws Exception {
        try (TeacherClient client = new TeacherClient(url(), Duration.ofSeconds(10), 2)) {
            List<String> texts = List.of("Das ist nicht mein Hund.", "Où est la gare, s'il vous plaît ?",
                    "Where is the train station?", "¿Dónde está la estación de tren?", "Bu benim kitabım değil.",
                    "Это не моя собака.");
            List<CompletableFuture<TeacherClient.TeacherAnswer>> answers = new ArrayList<>();
            for (String text : texts) {
                answers.add(client.label(text, false));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(rules.classify(texts.get(i)), answers.get(i).get(10, TimeUnit.SECONDS).label(),
                        "text " + i + " got the teacher's answer, not a refusal");
            }
            assertEquals(texts.size(), calls.get());
            assertEquals(2, mostInFlight.get(), "the teacher never had more than the bound at once");
        }
    }

    @Test
    void aWaitThatWouldOutlastTheTimeoutFailsAsBusyWithinIt() throws Exception {
        try (TeacherClient warm = new TeacherClient(url(), Duration.ofSeconds(10), 1)) {
            warm.label("Guten Morgen zusammen!", false).get(10, TimeUnit.SECONDS); // a cold JVM's first call is slow
        }
        answerMillis = 600;
        try (TeacherClient client = new TeacherClient(url(), Duration.ofMillis(1_000), 1)) {
            CompletableFuture<TeacherClient.TeacherAnswer> first = client.label("Das ist nicht mein Hund.", false);
            CompletableFuture<TeacherClient.TeacherAnswer> second = client.label("Wo ist der Bahnhof?", false);
            CompletableFuture<TeacherClient.TeacherAnswer> third = client.label("Wie spät ist es?", false);
            assertEquals("de", first.get(5, TimeUnit.SECONDS).label());
            // The second gets the slot after ~600 ms with ~400 of its 1,000 left, less than an answer takes; the
            // third never gets one within its 1,000.
            long started = System.nanoTime();
            for (CompletableFuture<TeacherClient.TeacherAnswer> late : List.of(second, third)) {
                ExecutionException failed = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
                TeacherUnavailableException cause = assertInstanceOf(TeacherUnavailableException.class,
                        failed.getCause());
                assertTrue(List.of(TeacherUnavailableException.BUSY, TeacherUnavailableException.TIMEOUT)
                        .contains(cause.kind()), cause.kind());
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "both failed within the deadline");
        }
    }
}
