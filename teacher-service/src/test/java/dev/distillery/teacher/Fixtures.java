package dev.distillery.teacher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Rejected;
import dev.distillery.testing.EmbeddedKafka;

/** Sentences for every label, and helpers to read the output topics by id. */
final class Fixtures {

    /**
     * Config of a teacher on its own topics ({@code distill.queries.<suffix>}, ...) and consumer group, whose producers
     * give up on a send within 4 s, so that a test sees the pipeline's own retries rather than the client's.
     */
    static Map<String, String> ownTopicsWithShortSends(String suffix) {
        Map<String, String> c = new HashMap<>();
        c.put("distillery.topics.queries", "distill.queries." + suffix);
        c.put("distillery.topics.labeled", "distill.labeled." + suffix);
        c.put("distillery.topics.rejected", "distill.rejected." + suffix);
        c.put("mp.messaging.incoming.queries.group.id", "distillery-teacher-" + suffix);
        for (String channel : List.of("labeled", "rejected")) {
            c.put("mp.messaging.outgoing." + channel + ".delivery.timeout.ms", "4000");
            c.put("mp.messaging.outgoing." + channel + ".request.timeout.ms", "2000");
        }
        return c;
    }

    /** label -> a sentence the rules teacher gives that label. */
    static final Map<String, String> SENTENCES = new LinkedHashMap<>();

    static {
        SENTENCES.put("ar", "ذهبت إلى السوق صباح اليوم لشراء الخبز والحليب.");
        SENTENCES.put("de", "Ich habe heute keine Zeit, weil ich arbeiten muss.");
        SENTENCES.put("el", "Η βιβλιοθήκη κλείνει στις οκτώ το βράδυ.");
        SENTENCES.put("en", "Where is the train station, please?");
        SENTENCES.put("es", "Mañana vamos a la playa con los niños.");
        SENTENCES.put("fr", "Il fait très beau aujourd'hui à Paris.");
        SENTENCES.put("hi", "मैं कल सुबह बाज़ार गया था।");
        SENTENCES.put("ru", "Вчера вечером мы долго гуляли по парку.");
        SENTENCES.put("tr", "Bugün hava çok güzel, parka gidelim mi?");
        SENTENCES.put("ur", "میں کل صبح بازار گیا اور روٹی خریدی۔");
        SENTENCES.put("vi", "Hôm nay trời đẹp, chúng ta đi dạo nhé.");
        SENTENCES.put("zh", "我昨天晚上在公园里散步了很久。");
        SENTENCES.put("ot", "Naye akasema, Mama, niko nyumbani kwa sasa.");
    }

    private Fixtures() {
    }

    static Map<String, LabeledExample> labeled(EmbeddedKafka kafka, String topic, Set<String> ids, Duration timeout) {
        return byId(kafka, topic, ids, timeout, r -> decode(r, LabeledExample.class), LabeledExample::id);
    }

    static Map<String, Rejected> rejected(EmbeddedKafka kafka, String topic, Set<String> ids, Duration timeout) {
        return byId(kafka, topic, ids, timeout, r -> decode(r, Rejected.class), Rejected::id);
    }

    private static <T> Map<String, T> byId(EmbeddedKafka kafka, String topic, Set<String> ids, Duration timeout,
            Function<ConsumerRecord<String, byte[]>, T> decode, Function<T, String> id) {
        Map<String, T> found = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> records = kafka.readUntil(topic, rs -> {
            found.clear();
            for (ConsumerRecord<String, byte[]> r : rs) {
                if (ids.contains(r.key())) {
                    T value = decode.apply(r);
                    found.put(id.apply(value), value);
                }
            }
            return found.keySet().containsAll(ids);
        }, timeout);
        return found;
    }

    private static <T> T decode(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return MessageCodec.decode(record.value(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("bad record on " + record.topic(), e);
        }
    }
}
