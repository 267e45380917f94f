package dev.distillery.trainer.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Rejected;
import dev.distillery.task.TaskSpec;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.kafka.KafkaClients;

/** The consumer against a real broker: order, hand-over bound, rejections, resume offsets and commits. */
class LabeledTopicConsumerTest {

    private static EmbeddedKafka kafka;
    private final TaskSpec task = TaskSpec.languageId();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private byte[] example(String id, String text, String label) {
        return MessageCodec.encode(LabeledExample.of(id, text, "Final Answer: " + label, label,
                new LabeledExample.TeacherInfo("rules", "rules", task.promptSha256()), LabeledExample.Usage.NONE, 0,
                Instant.now()));
    }

    @Test
    void handsOverEveryRecordInOrderPublishesRejectionsPastTheResumeOffsetAndCommitsOnRequest() throws Exception {
        String topic = "labeled-consumer-test";
        String rejectedTopic = "rejected-consumer-test";
        kafka.createTopic(topic, 1, Map.of());
        kafka.createTopic(rejectedTopic, 1, Map.of());
        kafka.send(topic, "a", example("a", "Hello world", "en"));           // 0
        kafka.send(topic, "b", "{broken".getBytes(StandardCharsets.UTF_8));  // 1: covered by the "checkpoint"
        kafka.send(topic, "c", example("c", "Bonjour tout le monde", "fr")); // 2
        kafka.send(topic, "d", example("d", "Jambo", "sw"));                 // 3: rejected, past the checkpoint

        KafkaClients clients = new KafkaClients(kafka.clientSettings());
        BlockingQueue<IntakeItem> queue = new ArrayBlockingQueue<>(2);
        String partition = LabeledTopicConsumer.partitionKey(topic, 0);
        try (RejectionPublisher rejections = new RejectionPublisher(clients.producer("test-rejections"), rejectedTopic)) {
            LabeledTopicConsumer consumer = new LabeledTopicConsumer(clients.consumer("test", "test-group", 500), topic,
                    new ExampleValidator(task, true), rejections, queue, Map.of(partition, 2L));
            Thread thread = new Thread(consumer);
            thread.start();
            List<IntakeItem> items = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (items.size() < 4 && System.nanoTime() < deadline) {
                IntakeItem item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    items.add(item);
                    assertTrue(queue.size() <= 2);
                }
            }
            assertEquals(List.of(0L, 1L, 2L, 3L), items.stream().map(IntakeItem::offset).toList());
            assertEquals("a", assertInstanceOf(IntakeItem.Accepted.class, items.get(0)).example().id());
            assertEquals("malformed-json", assertInstanceOf(IntakeItem.Skipped.class, items.get(1)).reason());
            assertEquals("label-not-in-set", assertInstanceOf(IntakeItem.Skipped.class, items.get(3)).reason());
            assertTrue(consumer.running());

            consumer.requestCommit(Map.of(partition, 3L));
            rejections.flush();
            try (Admin admin = Admin.create(kafka.clientSettings())) {
                Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
                while (committed.isEmpty() && System.nanoTime() < deadline) {
                    committed = admin.listConsumerGroupOffsets("test-group").partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
                    Thread.sleep(100);
                }
                assertEquals(3L, committed.get(new TopicPartition(topic, 0)).offset());
            }
            consumer.stop();
            thread.join(10_000);
        }
        var rejected = kafka.readUntil(rejectedTopic, r -> r.size() >= 1, Duration.ofSeconds(20));
        Thread.sleep(500); // a second (wrong) rejection of the covered record would be sent together with the first
        rejected = kafka.readUntil(rejectedTopic, r -> r.size() >= 2, Duration.ofSeconds(2));
        assertEquals(1, rejected.size(), "only the record past the checkpoint's offset is rejected again");
        Rejected r = MessageCodec.decode(rejected.get(0).value(), Rejected.class);
        assertEquals("d", r.id());
        assertEquals("trainer", r.stage());
        assertEquals("label-not-in-set", r.reason());
    }
}
