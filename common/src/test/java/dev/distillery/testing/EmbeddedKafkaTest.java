package dev.distillery.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.distillery.kafka.Topics;

class EmbeddedKafkaTest {

    @Test
    void aRecordSentToTheRealBrokerIsReadBack() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.send(Topics.QUERIES, "k1", "hello".getBytes(StandardCharsets.UTF_8));
            List<ConsumerRecord<String, byte[]>> records = kafka.readUntil(Topics.QUERIES, r -> !r.isEmpty(),
                    Duration.ofSeconds(30));
            assertEquals(1, records.size());
            assertEquals("k1", records.get(0).key());
            assertEquals("hello", new String(records.get(0).value(), StandardCharsets.UTF_8));
        }
    }
}
