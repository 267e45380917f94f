package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportDeadlineTest {

    private static final long S = 1_000_000_000L;
    private static final long FIRST_QUERY = 1_000 * S;
    private static final long DEADLINE = FIRST_QUERY + DistillationRun.REPORT_BY.toSeconds() * S;
    /** The built-in stream: 170 s at 50 queries/s. */
    private static final long STREAM_ENDED = FIRST_QUERY + 170 * S;

    @Test
    void reportsTheServedCheckpointOnceTheDeadlineHasCome() {
        assertFalse(DistillationRun.reportDue(DEADLINE - S, FIRST_QUERY, STREAM_ENDED, 0.96),
                "a second early: wait for the trainer");
        assertTrue(DistillationRun.reportDue(DEADLINE, FIRST_QUERY, STREAM_ENDED, 0.96));
        assertTrue(DistillationRun.reportDue(DEADLINE + 30 * S, FIRST_QUERY, STREAM_ENDED, 0.80),
                "below the target too: reported as not reached rather than waited for");
    }

    @Test
    void neverReportsWithoutAServedCheckpointOrBeforeTheFirstQuery() {
        assertFalse(DistillationRun.reportDue(DEADLINE + 60 * S, FIRST_QUERY, STREAM_ENDED, null),
                "nothing served yet: keep waiting, the run's timeout bounds that");
        assertFalse(DistillationRun.reportDue(DEADLINE + 60 * S, -1, STREAM_ENDED, 0.96), "no query sent yet");
    }

    @Test
    void aLongerStreamStillGivesTheFinalRoundItsTime() {
        long streamEnded = FIRST_QUERY + 400 * S; // a large --queries file: the stream outlasts the deadline
        assertFalse(DistillationRun.reportDue(streamEnded, FIRST_QUERY, streamEnded, 0.96));
        assertFalse(DistillationRun.reportDue(streamEnded + DistillationRun.FINAL_ROUND_AT_LEAST.toNanos() - S,
                FIRST_QUERY, streamEnded, 0.96));
        assertTrue(DistillationRun.reportDue(streamEnded + DistillationRun.FINAL_ROUND_AT_LEAST.toNanos(),
                FIRST_QUERY, streamEnded, 0.96));
    }
}
