package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class PipelineStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheServedCheckpointsVersionAndPublishedAgreement() throws Exception {
        PipelineStatus s = PipelineStatus.of(10, null, null, JSON.readTree(
                "{\"checkpoint\":{\"version\":7,\"metrics\":{\"heldOutAgreement\":0.958,\"rounds\":40}}}"));
        assertEquals(7L, s.studentCheckpointVersion());
        assertEquals(0.958, s.studentCheckpointAgreement());
    }

    @Test
    void noCheckpointNoAgreement() throws Exception {
        PipelineStatus none = PipelineStatus.of(10, null, null, JSON.readTree("{\"checkpoint\":null}"));
        assertNull(none.studentCheckpointVersion());
        assertNull(none.studentCheckpointAgreement());
        PipelineStatus noMetric = PipelineStatus.of(10, null, null, JSON.readTree("{\"checkpoint\":{\"version\":3}}"));
        assertEquals(3L, noMetric.studentCheckpointVersion());
        assertNull(noMetric.studentCheckpointAgreement(), "a checkpoint without the metric is not a gated report");
    }
}
