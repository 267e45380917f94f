package dev.distillery.student;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.task.TaskSpec;
import dev.distillery.task.language.LanguageIdRules;
import dev.distillery.testing.KafkaBrokerResource;

/**
 * A stand-in for teacher-service's {@code POST /v1/label} (the student test cannot start another Quarkus application):
 * real HTTP, the real rules teacher for the label, and for {@code publish: true} a real record on
 * {@code distill.labeled} of the test broker marked {@code origin: deferral}, as teacher-service writes it (its own
 * test checks that side). It can be made slow or failing, and counts the calls it got.
 */
final class RulesTeacherEndpoint {

    enum Mode { ANSWER, SLOW, FAIL }

    private static final TaskSpec TASK = TaskSpec.languageId();
    private static final LanguageIdRules RULES = new LanguageIdRules();
    private static RulesTeacherEndpoint instance;
    /** How long the slow teacher takes: far beyond the tests' teacher timeout. */
    static final long SLOW_MILLIS = 20_000;
    private final org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer;

    private final HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger published = new AtomicInteger();
    volatile Mode mode = Mode.ANSWER;

    /** System property carrying the port (outside the distillery.* mapping, which refuses unknown keys). */
    private static final String PORT_PROPERTY = "cascade-test.teacher-port";

    /**
     * The port the endpoint listens on, chosen once per JVM. The profile (which configures the student) runs in
     * another class loader than the test (which starts the endpoint and talks to the broker), so only the port is
     * shared, through a system property, never an instance.
     */
    static synchronized int port() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = String.valueOf(socket.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(PORT_PROPERTY, port);
        }
        return Integer.parseInt(port);
    }

    private RulesTeacherEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port()), 0);
        server.createContext("/v1/label", this::label);
        // Kafka loads classes through the context class loader: the server threads get the test's, as the producer.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "rules-teacher-endpoint");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        }));
        producer = KafkaBrokerResource.kafka().producer();
        server.start();
    }

    /** The endpoint of the test's class loader (started on first use). */
    static synchronized RulesTeacherEndpoint get() {
        if (instance == null) {
            try {
                instance = new RulesTeacherEndpoint();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    private void label(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        try (exchange) {
            answer(exchange);
        } catch (RuntimeException | IOException e) {
            e.printStackTrace(); // the JDK server would drop the exchange silently
            throw e;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode body = MessageCodec.mapper().readTree(exchange.getRequestBody().readAllBytes());
        switch (mode) {
            case SLOW -> sleep(SLOW_MILLIS);
            case FAIL -> {
                reply(exchange, 503, "{\"status\":503,\"error\":\"teacher-failed\",\"message\":\"down\"}");
                return;
            }
            default -> { }
        }
        String text = body.path("text").asText();
        String label = RULES.classify(text);
        String response = TASK.formatAnswer(label);
        boolean publish = body.path("publish").asBoolean(false);
        if (publish) {
            String id = UUID.randomUUID().toString();
            LabeledExample example = LabeledExample.of(id, text, response, label,
                    new LabeledExample.TeacherInfo("rules", "rules", TASK.promptSha256()),
                    LabeledExample.Usage.NONE, 1, Instant.now()).withOrigin(LabeledExample.ORIGIN_DEFERRAL);
            send(id, MessageCodec.encode(example));
            published.incrementAndGet();
        }
        reply(exchange, 200, MessageCodec.mapper().createObjectNode().put("label", label).put("response", response)
                .put("latencyMs", 1).put("promptTokens", 0).put("published", publish).toString());
    }

    /** Waits for the broker's acknowledgement, as teacher-service does before it answers. */
    private void send(String id, byte[] value) {
        try {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.LABELED, id, value))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the deferral", e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
