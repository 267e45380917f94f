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
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The teacher rides out an outage of its output longer than its producer's delivery timeout (4 s here, so every send
 * in flight fails and is re-sent by the publisher, as an outage over the default 120 s does), and a labeled record
 * the broker refuses as too large becomes a {@code record-too-large} rejection: in both cases consumption goes on,
 * with no restart. The outage: the labeled topic refuses every write for 12 s ({@code min.insync.replicas} above
 * its one replica, a retriable {@code NOT_ENOUGH_REPLICAS} for acks=all), as a broker that is down does. (Stopping
 * and restarting the in-JVM test broker was tried first: its producers then kept expiring batches for good, which a
 * real broker process killed and restarted by {@code ./distillery faults} does not cause.) Own topics, so nothing
 * here meets another test's records.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(BrokerOutageTest.Profile.class)
class BrokerOutageTest {

    static final String QUERIES = "distill.queries.outage";
    static final String LABELED = "distill.labeled.outage";
    static final String REJECTED = "distill.rejected.outage";
    /** Small enough that a labeled example of a ~1,000-character query is over it, large enough for short ones. */
    static final int MAX_MESSAGE_BYTES = 1500;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>();
            c.put("distillery.topics.queries", QUERIES);
            c.put("distillery.topics.labeled", LABELED);
            c.put("distillery.topics.rejected", REJECTED);
            c.put("mp.messaging.incoming.queries.group.id", "distillery-teacher-outage");
            for (String channel : List.of("labeled", "rejected")) {
                c.put("mp.messaging.outgoing." + channel + ".delivery.timeout.ms", "4000");
                c.put("mp.messaging.outgoing." + channel + ".request.timeout.ms", "2000");
            }
            return c;
        }
    }

    @BeforeAll
    static void topics() {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        kafka.createTopic(LABELED, 1, Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
        kafka.createTopic(REJECTED, 1, Map.of());
        kafka.createTopic(QUERIES, 2, Map.of());
    }

    @Test
    void anOutageLongerThanTheDeliveryTimeoutLosesNothingAndNeedsNoRestart() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        int total = 300;
        Map<String, String> sent = new LinkedHashMap<>();
        List<String> sentences = List.copyOf(Fixtures.SENTENCES.values());
        AtomicBoolean sawNotReady = new AtomicBoolean();
        long outageEnds = 0;
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (int i = 0; i < total; i++) {
                String id = "outage-" + i;
                String text = sentences.get(i % sentences.size()) + " (" + i + ")";
                sent.put(id, text);
                producer.send(new ProducerRecord<>(QUERIES, id, text.getBytes(StandardCharsets.UTF_8)));
                if (i == 0) {
                    producer.flush(); // the teacher is consuming (group joined) before the outage starts
                    kafka.readUntil(LABELED, rs -> !rs.isEmpty(), Duration.ofSeconds(60));
                }
                if (i == total / 2) {
                    producer.flush();
                    kafka.setTopicConfig(LABELED, "min.insync.replicas", "2"); // the output refuses every write
                    outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
                }
                if (i > total / 2) { // the second half arrives during the outage: the teacher keeps trying
                    Thread.sleep(40);
                    sawNotReady.compareAndSet(false, given().get("/q/health/ready").statusCode() == 503);
                    given().get("/q/health/live").then().statusCode(200);
                }
            }
            producer.flush();
            while (System.nanoTime() < outageEnds) {
                sawNotReady.compareAndSet(false, given().get("/q/health/ready").statusCode() == 503);
                given().get("/q/health/live").then().statusCode(200);
                Thread.sleep(250);
            }
            kafka.setTopicConfig(LABELED, "min.insync.replicas", null);
            producer.flush();
        }
        assertTrue(sawNotReady.get(), "readiness reports DOWN while the teacher cannot publish");

        List<ConsumerRecord<String, byte[]>> records = kafka.readUntil(LABELED,
                rs -> rs.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet())
                        .containsAll(sent.keySet()), Duration.ofSeconds(90));
        Map<String, Integer> copies = new HashMap<>();
        records.forEach(r -> copies.merge(r.key(), 1, Integer::sum));
        Set<String> missing = new HashSet<>(sent.keySet());
        missing.removeAll(copies.keySet());
        long duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("outage: produced %d, labeled %d, missing %d, duplicates %d%n", total,
                copies.size(), missing.size(), duplicates);
        assertEquals(Set.of(), missing, "every query is labeled after the outage");
        assertTrue(duplicates < total, "duplicates stay the exception: " + duplicates);
        given().get("/q/health/live").then().statusCode(200);
        awaitReady();
    }

    @Test
    void aLabeledRecordTheBrokerRefusesBecomesARejectionAndConsumptionGoesOn() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        String bigId = "too-large-for-the-topic";
        String bigText = "This sentence is written in plain English and repeated. ".repeat(30); // ~1,700 bytes
        String nextId = "after-the-large-one";
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(QUERIES, 0, bigId, bigText.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(QUERIES, 0, nextId,
                    Fixtures.SENTENCES.get("de").getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        Map<String, Rejected> rejected = Fixtures.rejected(kafka, REJECTED, Set.of(bigId), Duration.ofSeconds(60));
        assertEquals(RejectReason.RECORD_TOO_LARGE.code(), rejected.get(bigId).reason(), () -> rejected.toString());
        Map<String, LabeledExample> labeled = Fixtures.labeled(kafka, LABELED, Set.of(nextId), Duration.ofSeconds(60));
        assertEquals("de", labeled.get(nextId).label());
        given().get("/q/health/live").then().statusCode(200);
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
