package dev.distillery.trainer.api;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.messages.MessageCodec;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.ExampleValidator;
import dev.distillery.trainer.intake.Validation;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.trainer.training.HeldOutSplit;

/**
 * Writes the distillation dataset as JSON lines in the chat format of the prompt-distillation recipe: the user turn
 * is the query alone (no prompt P), the assistant turn the teacher's answer. Reads the labeled topic from the beginning
 * up to its end at the time of the request, with the trainer's own validation and de-duplication, so the export is
 * exactly what the trainer learns from (or holds out).
 */
public final class DatasetExport {

    /** Which side of the trainer's split to export. */
    public enum Split {
        ALL, TRAIN, HELD_OUT;

        public static Split parse(String value) {
            return switch (value == null ? "all" : value) {
                case "all" -> ALL;
                case "train" -> TRAIN;
                case "held-out" -> HELD_OUT;
                default -> throw new IllegalArgumentException("split must be all, train or held-out; got " + value);
            };
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final String topic;
    private final ExampleValidator validator;
    private final HeldOutSplit split;
    private final ObjectMapper mapper = MessageCodec.mapper();

    public DatasetExport(KafkaClients kafka, String topic, ExampleValidator validator, HeldOutSplit split) {
        this.kafka = kafka;
        this.topic = topic;
        this.validator = validator;
        this.split = split;
    }

    /**
     * Looks the topic up and notes where it ends now, before any byte of the response is written, so an unreachable
     * broker becomes an error response rather than a truncated stream.
     */
    public Snapshot open() {
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("distillery-trainer-dataset", null, 500);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
            end.entrySet().removeIf(e -> e.getValue() == 0);
            return new Snapshot(consumer, end);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** A consumer positioned at the beginning of the topic, and the end offsets to read up to. */
    public record Snapshot(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) implements AutoCloseable {
        @Override
        public void close() {
            consumer.close();
        }
    }

    /** @return the number of lines written */
    public long write(Snapshot snapshot, OutputStream out, Split which, long limit) throws IOException {
        long written = 0;
        Set<String> seen = new HashSet<>();
        try (snapshot) {
            KafkaConsumer<String, byte[]> consumer = snapshot.consumer();
            Map<TopicPartition, Long> end = snapshot.end();
            while (!end.isEmpty() && written < limit) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long last = end.get(tp);
                    if (last == null || record.offset() >= last) {
                        continue;
                    }
                    if (record.offset() == last - 1) {
                        end.remove(tp);
                    }
                    if (written < limit && validator.validate(record.key(), record.value()) instanceof Validation.Valid v
                            && wanted(v.example(), which) && seen.add(v.example().id())) {
                        out.write(mapper.writeValueAsBytes(chat(v.example())));
                        out.write('\n');
                        written++;
                    }
                }
                // A partition whose last records are transaction markers never yields its last offset: stop at position.
                for (TopicPartition tp : List.copyOf(end.keySet())) {
                    if (consumer.position(tp) >= end.get(tp)) {
                        end.remove(tp);
                    }
                }
                out.flush();
            }
        }
        out.flush();
        return written;
    }

    private boolean wanted(Example example, Split which) {
        return switch (which) {
            case ALL -> true;
            case TRAIN -> !split.isHeldOut(example.id());
            case HELD_OUT -> split.isHeldOut(example.id());
        };
    }

    static Map<String, Object> chat(Example example) {
        return Map.of("messages", List.of(
                Map.of("role", "user", "content", example.text()),
                Map.of("role", "assistant", "content", example.response())));
    }
}
