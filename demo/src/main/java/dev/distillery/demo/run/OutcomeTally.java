package dev.distillery.demo.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import dev.distillery.kafka.FromBeginning;
import dev.distillery.kafka.KafkaClients;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        KafkaClients kafka = new KafkaClients(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024)));
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("distillery-faults-tally-" + UUID.randomUUID(),
                null, 500)) {
            FromBeginning.assign(consumer, List.of(Topics.LABELED, Topics.REJECTED), () -> System.nanoTime() < deadline);
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
        Set<String> keys = new java.util.HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaClients(bootstrapServers)
                .consumer("distillery-faults-keys", null, 500)) {
            for (var end : consumer.endOffsets(FromBeginning.assign(consumer, List.of(Topics.LABELED), () -> true))
                    .entrySet()) {
                while (consumer.position(end.getKey()) < end.getValue()) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
                }
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
