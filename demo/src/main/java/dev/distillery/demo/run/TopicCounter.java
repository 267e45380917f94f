package dev.distillery.demo.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import dev.distillery.kafka.KafkaClients;
import dev.distillery.kafka.Topics;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.MessageCodec;

/**
 * Counts what the pipeline wrote since the run started, by reading the output topics: labeled examples (distinct
 * ids, since delivery is at-least-once), rejections, and checkpoint announcements. Independent of any service's
 * metrics, so the figures in the report are what actually went over Kafka.
 */
public final class TopicCounter implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private final Set<String> labeledIds = new HashSet<>();
    private final AtomicLong labeled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final AtomicLong lastCheckpointVersion = new AtomicLong(-1);
    private final AtomicLong firstLabeledAtMs = new AtomicLong(-1);
    private final AtomicLong lastLabeledAtMs = new AtomicLong(-1);
    private final AtomicLong lastRejectedAtMs = new AtomicLong(-1);
    private final AtomicLong teacherPromptTokens = new AtomicLong();
    private volatile Map<String, Double> lastAnnouncedMetrics = Map.of();

    private TopicCounter(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::run, "topic-counter");
        this.thread.setDaemon(true);
    }

    /** Starts counting from the current end of each topic: only records produced from now on count. */
    static TopicCounter startAtEnd(String bootstrapServers) {
        KafkaConsumer<String, byte[]> consumer = new KafkaClients(bootstrapServers)
                .consumer("distillery-demo-counter", null, 500);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.LABELED, Topics.REJECTED, Topics.CHECKPOINTS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(15));
        ends.forEach(consumer::seek);
        TopicCounter counter = new TopicCounter(consumer);
        counter.thread.start();
        return counter;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    switch (record.topic()) {
                        case Topics.LABELED -> onLabeled(record);
                        case Topics.REJECTED -> {
                            rejected.incrementAndGet();
                            lastRejectedAtMs.set(record.timestamp());
                        }
                        case Topics.CHECKPOINTS -> onCheckpoint(record);
                        default -> {
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("warning: stopped counting topic records: " + e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void onLabeled(ConsumerRecord<String, byte[]> record) {
        String id = record.key();
        long promptTokens = 0;
        try {
            var node = MessageCodec.mapper().readTree(record.value());
            if (id == null && node.hasNonNull("id")) {
                id = node.get("id").asText();
            }
            promptTokens = node.path("usage").path("promptTokens").asLong(0);
        } catch (Exception e) {
            // counted by key only
        }
        boolean fresh;
        synchronized (labeledIds) {
            fresh = id == null || labeledIds.add(id);
        }
        if (fresh) {
            labeled.incrementAndGet();
            teacherPromptTokens.addAndGet(promptTokens);
            firstLabeledAtMs.compareAndSet(-1, record.timestamp());
            lastLabeledAtMs.set(record.timestamp());
        }
    }

    private void onCheckpoint(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        checkpoints.incrementAndGet();
        try {
            CheckpointAnnouncement announcement = MessageCodec.decode(record.value(), CheckpointAnnouncement.class);
            if (announcement.version() >= lastCheckpointVersion.get()) {
                lastAnnouncedMetrics = announcement.metrics();
            }
            lastCheckpointVersion.accumulateAndGet(announcement.version(), Math::max);
        } catch (Exception e) {
            // an announcement the launcher cannot read still counts as published
        }
    }

    public long labeled() {
        return labeled.get();
    }

    public long rejected() {
        return rejected.get();
    }

    long checkpoints() {
        return checkpoints.get();
    }

    long lastCheckpointVersion() {
        return lastCheckpointVersion.get();
    }

    /** Metrics of the newest checkpoint announced (rounds, examplesSeen, heldOutAgreement, ...), empty before one. */
    Map<String, Double> lastAnnouncedMetrics() {
        return lastAnnouncedMetrics;
    }

    /** Producer timestamps of the first and last distinct labeled example, -1 before any. */
    long firstLabeledAtMs() {
        return firstLabeledAtMs.get();
    }

    long lastLabeledAtMs() {
        return lastLabeledAtMs.get();
    }

    long lastRejectedAtMs() {
        return lastRejectedAtMs.get();
    }

    /** Prompt tokens the teacher reported spending (0 for the rules teacher, which counts none). */
    long teacherPromptTokens() {
        return teacherPromptTokens.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
