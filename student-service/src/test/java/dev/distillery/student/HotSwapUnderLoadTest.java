package dev.distillery.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;

/**
 * Several clients call /v1/classify without pause while six real checkpoints are trained, written and announced one
 * after the other: no request may fail, and once a swap is visible every answer carries the new version.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(2)
class HotSwapUnderLoadTest {

    private static final int CLIENTS = 4;
    private static final int SWAPS = 6;

    @TestHTTPResource("/v1/classify")
    URI classify;

    @Inject
    ModelSlots slots;

    @Test
    void swapsUnderLoadFailNoRequestAndAnswersCarryTheNewVersion() throws Exception {
        long first = ServiceProbe.ensureServing();
        ServedModel firstModel = slots.current().orElseThrow();
        assertEquals(first, firstModel.version());

        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean running = new AtomicBoolean(true);
        // The version every request sent from now on must at least carry: raised once a swap is visible.
        AtomicLong floor = new AtomicLong(first);
        AtomicLong answered = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Long, AtomicLong> answersByVersion = new ConcurrentHashMap<>();
        String[] texts = {"Guten Morgen, wie geht es dir?", "Good morning, how are you?", "Buenos días, ¿cómo estás?",
                "Доброе утро, как дела?"};
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String text = texts[c % texts.length];
            clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                long lastSeen = first;
                while (running.get()) {
                    long mustCarry = floor.get();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(classify)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("text", text))))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.add("HTTP " + response.statusCode() + ": " + response.body());
                            continue;
                        }
                        JsonNode body = json.readTree(response.body());
                        long version = body.get("checkpoint").asLong();
                        answersByVersion.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
                        if (version < mustCarry) {
                            failures.add("sent after v" + mustCarry + " was served, answered by v" + version);
                        }
                        if (version < lastSeen) {
                            failures.add("went back from v" + lastSeen + " to v" + version);
                        }
                        lastSeen = version;
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }

        long last = first;
        for (int i = 0; i < SWAPS; i++) {
            long before = answered.get();
            long version = TrainedCheckpoints.writeAndAnnounceNext().version();
            ServiceProbe.awaitServed(version);
            floor.set(version);
            last = version;
            // Let the clients make requests on the new model before the next swap.
            ServiceProbe.await("requests on v" + version, Duration.ofSeconds(30), () -> answered.get() > before + 2 * CLIENTS);
        }
        long lastSwapAnswered = answered.get();
        ServiceProbe.await("requests after the last swap", Duration.ofSeconds(30),
                () -> answered.get() > lastSwapAnswered + 4 * CLIENTS);
        running.set(false);
        for (Thread client : clients) {
            client.join(60_000);
        }

        assertTrue(failures.isEmpty(), () -> failures.size() + " failed requests, e.g. " + failures.stream().limit(5).toList());
        assertEquals(first + SWAPS, last);
        assertTrue(answersByVersion.containsKey(last), () -> "no answer from the last version: " + answersByVersion);
        assertTrue(answersByVersion.keySet().stream().filter(v -> v > first).count() >= SWAPS,
                () -> "answers by version: " + answersByVersion);
        // The first model left both slots after two swaps: drained and closed.
        ServiceProbe.await("v" + first + " to be closed", Duration.ofSeconds(10), firstModel::isClosed);
        assertEquals(last - 1, slots.previous().orElseThrow().version());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("distillery_student_checkpoint_version " + last + ".0"), metrics);
        assertTrue(metrics.contains("distillery_student_swaps_total"), "swaps counter");
        assertTrue(metrics.contains("distillery_student_batch_size_bucket"), "batch-size histogram");
        // Micrometer's HTTP server timer: every request counted once, by uri and status, latency as a histogram.
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{")
                && l.contains("uri=\"/v1/classify\"")), "latency histogram");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("status=\"200\"") && l.contains("uri=\"/v1/classify\"")), "request counter");
    }
}
