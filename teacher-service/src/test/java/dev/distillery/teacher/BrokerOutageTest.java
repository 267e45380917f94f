package dev.distillery.teacher;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The teacher rides out a broker outage longer than its producer's delivery timeout (4 s here, so every send in
 * flight fails and the publisher re-sends it, as an outage over the default 120 s does): the broker is shut down
 * for 12 s while the teacher holds fetched queries it has not published yet, then started again on the same port
 * and logs, and more queries arrive. Nothing is lost, the teacher is never restarted, readiness says DOWN during
 * the outage and UP after it, liveness stays UP. Own topics and group, so nothing here meets another test's records.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(BrokerOutageTest.Profile.class)
class BrokerOutageTest {

    static final String QUERIES = "distill.queries.outage";
    static final String LABELED = "distill.labeled.outage";
    static final String REJECTED = "distill.rejected.outage";
    static final Duration OUTAGE = Duration.ofSeconds(12);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Fixtures.ownTopicsWithShortSends("outage");
        }
    }

    @BeforeAll
    static void topics() {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        kafka.createTopic(LABELED, 1, Map.of());
        kafka.createTopic(REJECTED, 1, Map.of());
        kafka.createTopic(QUERIES, 2, Map.of());
    }

    @Test
    void anOutageLongerThanTheDeliveryTimeoutLosesNothingAndNeedsNoRestart() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        int total = 1200;
        int beforeOutage = 800;
        Map<String, String> sent = new LinkedHashMap<>();
        List<String> sentences = List.copyOf(Fixtures.SENTENCES.values());
        for (int i = 0; i < total; i++) {
            sent.put("outage-" + i, sentences.get(i % sentences.size()) + " (" + i + ")");
        }
        List<String> ids = List.copyOf(sent.keySet());

        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            send(producer, sent, ids.subList(0, 1)); // the teacher has joined its group before the burst
            kafka.readUntil(LABELED, rs -> !rs.isEmpty(), Duration.ofSeconds(60));
            send(producer, sent, ids.subList(1, beforeOutage));
        }
        // The broker goes away once the teacher is labeling the burst, so it holds fetched, unpublished queries.
        kafka.readUntil(LABELED, rs -> rs.size() > 1, Duration.ofSeconds(60));
        kafka.stopBroker();
        boolean sawSendsFail = false;
        long outageEnds = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < outageEnds) {
            sawSendsFail |= publishingFailed();
            given().get("/q/health/live").then().statusCode(200);
            Thread.sleep(200);
        }
        kafka.restartBroker();
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            send(producer, sent, ids.subList(beforeOutage, total)); // queries keep arriving after the outage
        }
        assertTrue(sawSendsFail, "sends fail during the outage and readiness (503) says so");

        List<ConsumerRecord<String, byte[]>> records = kafka.readUntil(LABELED,
                rs -> rs.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(sent.keySet()),
                Duration.ofSeconds(90));
        Map<String, Integer> copies = new HashMap<>();
        records.forEach(r -> copies.merge(r.key(), 1, Integer::sum));
        Set<String> missing = new HashSet<>(sent.keySet());
        missing.removeAll(copies.keySet());
        long duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("outage: produced %d, labeled %d, missing %d, duplicates %d%n", total, copies.size(),
                missing.size(), duplicates);
        assertEquals(Set.of(), missing, "every query is labeled after the outage");
        assertTrue(duplicates <= beforeOutage, "only queries read before the outage may be labeled twice: "
                + duplicates);
        given().get("/q/health/live").then().statusCode(200);
        awaitReady();
    }

    private static void send(KafkaProducer<String, byte[]> producer, Map<String, String> texts, List<String> ids)
            throws Exception {
        for (String id : ids) {
            producer.send(new ProducerRecord<>(QUERIES, id, texts.get(id).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    /** Readiness is 503 and the publisher's own check is DOWN because a send failed (not only because it waits). */
    private static boolean publishingFailed() {
        var response = given().get("/q/health/ready");
        String lastFailure = response.jsonPath()
                .getString("checks.find { it.name == 'teacher-publishing' }.data.lastFailure");
        return response.statusCode() == 503 && lastFailure != null && !"none".equals(lastFailure);
    }

    private static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = 0;
        while (System.nanoTime() < deadline && (status = given().get("/q/health/ready").statusCode()) != 200) {
            Thread.sleep(250);
        }
        assertEquals(200, status, "ready again after the outage");
    }
}
