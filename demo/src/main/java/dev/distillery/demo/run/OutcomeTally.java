package dev.distillery.demo.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.distillery.kafka.Topics;

import dev.distillery.demo.process.HttpJson;

/**
 * What became of a scenario's queries, read from {@code distill.labeled} and {@code distill.rejected} from the
 * beginning: how many records each id has on each topic. An id with none is missing; each copy beyond the first is a
 * duplicate (at-least-once delivery allows some, never a loss).
 */
public final class OutcomeTally {

    private final Map<String, Integer> labeled = new HashMap<>();
    private final Map<String, Integer> rejected = new HashMap<>();
    private final Map<String, String> rejectReasons = new HashMap<>();

    /** Reads both topics until every expected id has an outcome or {@code timeout} passes. */
    public static OutcomeTally await(String bootstrapServers, Set<String> expected, Duration timeout) {
        OutcomeTally tally = new OutcomeTally();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "distillery-faults-tally-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(Topics.LABELED, 0),
                    new TopicPartition(Topics.REJECTED, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!tally.covers(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.topic().equals(Topics.LABELED)) {
                        tally.labeled.merge(r.key(), 1, Integer::sum);
                    } else {
                        tally.rejected.merge(r.key(), 1, Integer::sum);
                        tally.rejectReasons.put(r.key(), reason(r.value()));
                    }
                }
            }
        }
        return tally;
    }

    /** Distinct keys on {@code distill.labeled}, read to its current end: what a trainer counts as examples seen. */
    public static long distinctLabeledKeys(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> keys = new java.util.HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(Topics.LABELED, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions).get(partitions.get(0));
            while (consumer.position(partitions.get(0)) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys.size();
    }

    private static String reason(byte[] value) {
        try {
            return HttpJson.mapper().readTree(value).path("reason").asText("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private boolean covers(Set<String> expected) {
        for (String id : expected) {
            if (!labeled.containsKey(id) && !rejected.containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    public long labeled(Set<String> ids) {
        return ids.stream().filter(labeled::containsKey).count();
    }

    public long rejected(Set<String> ids) {
        return ids.stream().filter(rejected::containsKey).count();
    }

    public long missing(Set<String> ids) {
        return ids.stream().filter(id -> !labeled.containsKey(id) && !rejected.containsKey(id)).count();
    }

    public long duplicates(Set<String> ids) {
        return ids.stream().mapToLong(id -> Math.max(0, labeled.getOrDefault(id, 0) - 1)
                + Math.max(0, rejected.getOrDefault(id, 0) - 1)).sum();
    }

    /** The reject reason recorded for an id, or null. */
    public String reason(String id) {
        return rejectReasons.get(id);
    }
}
