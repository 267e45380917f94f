package dev.distillery.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.kafka.Topics;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.trainer.runtime.TrainerStatus;
import dev.distillery.trainer.runtime.TrainingLoop;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.HeldOutSplit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A trainer stops after training past its last checkpoint (as a crash would); a new one on the same checkpoint
 * directory and topic resumes from that checkpoint and ends with exactly the same examples counted, every training
 * example trained once (before the checkpoint or after the restart, never both), no rejection published twice, and
 * committed offsets that never run ahead of a written checkpoint.
 */
class RestartResumeTest {

    private static final String GROUP = "restart-test";
    private static EmbeddedKafka kafka;
    private static Path checkpoints;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        Files.createDirectories(Path.of("target"));
        checkpoints = Files.createTempDirectory(Path.of("target"), "restart-checkpoints-");
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static Map<String, String> settings(String minDelta, boolean alwaysPublish) {
        Map<String, String> values = new HashMap<>();
        values.put("distillery.checkpoints.dir", checkpoints.toAbsolutePath().toString());
        values.put("distillery.trainer.batch-size", "16");
        values.put("distillery.trainer.steps-per-round", "2");
        values.put("distillery.trainer.step-batch-size", "16");
        values.put("distillery.trainer.round-interval", "300ms");
        values.put("distillery.trainer.group-id", GROUP);
        values.put("distillery.trainer.gate.min-agreement-delta", minDelta);
        values.put("distillery.trainer.gate.always-publish", Boolean.toString(alwaysPublish));
        return values;
    }

    private static TrainingLoop trainer(String minDelta, boolean alwaysPublish) {
        TrainingLoop loop = new TrainingLoop(TestConfigs.distillery(settings(minDelta, alwaysPublish)),
                new KafkaClients(kafka.clientSettings()), new SimpleMeterRegistry());
        loop.start();
        return loop;
    }

    private static TrainerStatus await(TrainingLoop loop, Predicate<TrainerStatus> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.test(loop.status()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(done.test(loop.status()), what + "; status: " + loop.status());
        return loop.status();
    }

    private static boolean settled(TrainerStatus s, long distinct) {
        return s.examplesSeen() == distinct && s.pendingExamples() == 0 && s.trainedExamples() == s.trainExamples();
    }

    @Test
    void resumesFromTheCheckpointWithoutLosingOrDoubleCountingExamples() throws Exception {
        List<String> queries = new ArrayList<>(RulesTeacher.demoQueries());
        Collections.shuffle(queries, new Random(3));
        List<String> ids = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        // Offsets 0-2 are invalid (rejected before any checkpoint), then 200 examples and 2 duplicates.
        ids.add("bad-0");
        values.add("not json".getBytes(StandardCharsets.UTF_8));
        ids.add("bad-1");
        values.add(RulesTeacher.encode(RulesTeacher.example("bad-1", "", "en")));
        ids.add("bad-2");
        values.add(RulesTeacher.encode(RulesTeacher.example("bad-2", "Jambo rafiki", "sw")));
        for (int i = 0; i < 200; i++) {
            ids.add("q-" + i);
            values.add(RulesTeacher.encode(RulesTeacher.example("q-" + i, queries.get(i))));
        }
        for (int i = 0; i < 2; i++) {
            ids.add("q-" + i);
            values.add(RulesTeacher.encode(RulesTeacher.example("q-" + i, queries.get(i))));
        }
        send(ids.subList(0, 120), values.subList(0, 120));

        // First trainer: publishes its first round, then its gate refuses everything (delta 2.0: even 0 -> 1 on a
        // one-example held-out slice does not pass), so it trains on
        // past its checkpoint and stops with trained-but-uncheckpointed examples, as a crash would leave them.
        TrainingLoop first = trainer("2.0", false);
        await(first, s -> s.lastCheckpoint() != null, "the first round is published");
        send(ids.subList(120, ids.size()), values.subList(120, values.size()));
        TrainerStatus before = await(first, s -> settled(s, 200), "every example taken and trained");
        assertEquals(3, before.rejected());
        assertEquals(2, before.duplicates());
        first.stop();

        CheckpointStore store = new CheckpointStore(checkpoints, 5);
        StoredCheckpoint v1 = store.latest("language-id").orElseThrow();
        assertEquals(1, v1.version(), "nothing but the first round was published");
        long covered = v1.manifest().offsets().get(Topics.LABELED + "-0");
        assertTrue(covered > 3 && covered < ids.size(), "the checkpoint covers part of the topic: " + covered);
        assertEquals(covered, committed(), "committed offsets never run ahead of a written checkpoint");

        // Training examples the checkpoint covers (first occurrence of an id, valid, train side of the split).
        HeldOutSplit split = new HeldOutSplit(10);
        Set<String> seen = new HashSet<>();
        long coveredTrain = 0;
        for (int offset = 3; offset < covered; offset++) {
            String id = ids.get(offset);
            if (seen.add(id) && !split.isHeldOut(id)) {
                coveredTrain++;
            }
        }

        // Second trainer: publishes every round, so its final forced checkpoint covers the whole topic.
        TrainingLoop second = trainer("0.0", true);
        try {
            TrainerStatus after = await(second, s -> settled(s, 200), "the restarted trainer caught up");
            assertEquals(before.examplesSeen(), after.examplesSeen());
            assertEquals(before.trainExamples(), after.trainExamples());
            assertEquals(before.heldOutExamples(), after.heldOutExamples());
            assertEquals(before.duplicates(), after.duplicates(), "duplicates are counted once across the restart");
            assertEquals(before.rejected(), after.rejected());
            Distiller.Snapshot counters = second.counters();
            assertEquals(coveredTrain, counters.restoredExamples(),
                    "examples the checkpoint covers are replayed, not trained again");
            assertEquals(after.trainExamples(), counters.trainedExamples(),
                    "every other training example is trained exactly once after the restart");
            assertNotNull(after.lastCheckpoint());

            TrainerStatus forced = second.forceCheckpoint().get(60, TimeUnit.SECONDS);
            assertTrue(forced.lastDecision().startsWith("published") || forced.lastDecision().contains("nothing"),
                    forced.lastDecision());
            assertEquals(ids.size(), store.latest("language-id").orElseThrow().manifest().offsets().get(Topics.LABELED + "-0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (committed() != ids.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(ids.size(), committed());
        } finally {
            second.stop();
        }
        // The three rejections were published once: the restarted trainer skipped them, being covered by v1.
        Thread.sleep(300);
        assertEquals(3, kafka.readUntil(Topics.REJECTED, r -> r.size() > 3, Duration.ofSeconds(3)).size());
    }

    private static void send(List<String> ids, List<byte[]> values) {
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (int i = 0; i < ids.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.LABELED, ids.get(i), values.get(i)));
            }
        }
    }

    private static long committed() throws Exception {
        try (Admin admin = Admin.create(kafka.clientSettings())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP + "-language-id")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(Topics.LABELED, 0));
            return o == null ? -1 : o.offset();
        }
    }
}
