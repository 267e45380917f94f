package dev.distillery.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.testing.EmbeddedKafka;

/** The shared clients against a broker that only speaks SASL_PLAINTEXT with PLAIN logins. */
class KafkaClientsSaslTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startSasl();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void clientsBuiltFromTheWholeConfigurationLogInAndReadATopicFromTheBeginning() throws Exception {
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings());
        settings.put("client.id", "svc");
        settings.put("group.id", "the-application-name"); // Quarkus' default: a reader must not join it by accident
        KafkaClients clients = new KafkaClients(settings);
        try (KafkaProducer<String, byte[]> producer = clients.producer("writer")) {
            for (String value : List.of("one", "two", "three")) {
                producer.send(new ProducerRecord<>(Topics.QUERIES, value, value.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer("reader", null, 500)) {
            assertEquals(2, FromBeginning.assign(consumer, List.of(Topics.QUERIES), () -> true).size());
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.key());
                }
            }
            assertEquals(3, read.size(), "read: " + read);
            assertEquals(Set.of("one", "two", "three"), Set.copyOf(read));
            assertThrows(InvalidGroupIdException.class, consumer::groupMetadata);
            assertTrue(consumer.metrics().keySet().stream().anyMatch(m -> "svc-reader".equals(m.tags().get("client-id"))),
                    "a configured client.id prefixes the client's own id");
        }
    }

    @Test
    void withoutTheLoginTheBrokerIsUnusable() {
        KafkaClients plain = new KafkaClients(kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = plain.consumer("no-login", null, 500)) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            assertEquals(List.of(), FromBeginning.assign(consumer, List.of(Topics.QUERIES),
                    () -> System.nanoTime() < giveUp));
        }
    }
}
