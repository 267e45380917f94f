package dev.distillery.trainer.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Schema;
import dev.distillery.task.TaskSpec;

class ExampleValidatorTest {

    private final TaskSpec task = TaskSpec.languageId();
    private final ExampleValidator validator = new ExampleValidator(task, true);

    private LabeledExample labeled(String id, String text, String label, String promptSha, Map<String, Double> dist) {
        return new LabeledExample(Schema.VERSION, id, text, "Final Answer: " + label, label,
                new LabeledExample.TeacherInfo("rules", "rules", promptSha), LabeledExample.Usage.NONE, 1,
                Instant.now(), dist);
    }

    private RejectReason reason(byte[] value) {
        return assertInstanceOf(Validation.Invalid.class, validator.validate("k", value)).reason();
    }

    @Test
    void aGoodExampleIsValidWithAOneHotTarget() {
        Validation v = validator.validate("k", MessageCodec.encode(labeled("a", "Hello there", "en", task.promptSha256(), null)));
        Example e = assertInstanceOf(Validation.Valid.class, v).example();
        assertEquals("a", e.id());
        assertEquals(1f, e.target()[task.labelIndex("en")]);
        assertEquals("Final Answer: en", e.response());
    }

    @Test
    void theTeachersDistributionBecomesASoftTargetOverTheLabelSet() {
        Map<String, Double> dist = Map.of("en", 0.6, "de", 0.2, "xx", 0.2);
        Example e = assertInstanceOf(Validation.Valid.class,
                validator.validate("k", MessageCodec.encode(labeled("a", "Hallo", "en", null, dist)))).example();
        float[] expected = new float[task.labels().size()];
        expected[task.labelIndex("en")] = 0.75f;
        expected[task.labelIndex("de")] = 0.25f;
        assertArrayEquals(expected, e.target(), 1e-6f);
    }

    @Test
    void invalidRecordsAreRejectedWithTheirReason() {
        assertEquals(RejectReason.MALFORMED_JSON, reason("{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(RejectReason.MALFORMED_JSON, reason(new byte[0]));
        assertEquals(RejectReason.MALFORMED_JSON, reason("[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(RejectReason.INVALID_UTF8, reason(new byte[] {'{', (byte) 0xff, '}'}));
        assertEquals(RejectReason.EMPTY_TEXT, reason(MessageCodec.encode(labeled("a", "  ", "en", null, null))));
        assertEquals(RejectReason.LABEL_NOT_IN_SET, reason(MessageCodec.encode(labeled("a", "Jambo", "sw", null, null))));
        assertEquals(RejectReason.LABEL_NOT_IN_SET, reason(MessageCodec.encode(labeled("a", "Jambo", null, null, null))));
        assertEquals(RejectReason.TASK_MISMATCH,
                reason(MessageCodec.encode(labeled("a", "Hello", "en", "0".repeat(64), null))));
        assertEquals(RejectReason.UNSUPPORTED_SCHEMA,
                reason("{\"schema\":99,\"id\":\"a\",\"text\":\"x\",\"label\":\"en\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anIdOrKeyOverTheLimitIsRejectedUnderItsBoundedForm() {
        String longId = "x".repeat(600_000);
        Validation.Invalid byId = assertInstanceOf(Validation.Invalid.class,
                validator.validate("k", MessageCodec.encode(labeled(longId, "Hello", "en", null, null))));
        assertEquals(RejectReason.ID_TOO_LONG, byId.reason());
        assertEquals(RecordId.bounded(longId), byId.id());
        Validation.Invalid byKey = assertInstanceOf(Validation.Invalid.class,
                validator.validate(longId, MessageCodec.encode(labeled("a", "Hello", "en", null, null))));
        assertEquals(RejectReason.ID_TOO_LONG, byKey.reason());
        assertTrue(byKey.id().length() < 200);
    }

    @Test
    void theRecordKeyStandsInForAMissingId() {
        byte[] value = "{\"schema\":1,\"text\":\"Hello\",\"label\":\"en\"}".getBytes(StandardCharsets.UTF_8);
        Example e = assertInstanceOf(Validation.Valid.class, validator.validate("key-1", value)).example();
        assertEquals("key-1", e.id());
        assertEquals("Final Answer: en", e.response());
    }
}
