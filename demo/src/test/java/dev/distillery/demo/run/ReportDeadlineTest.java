package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportDeadlineTest {

    private static final long S = 1_000_000_000L;
    private static final long FIRST_QUERY = 1_000 * S;
    private static final long DEADLINE = FIRST_QUERY + DistillationRun.REPORT_BY.toSeconds() * S;

    @Test
    void reportsTheServedCheckpointOnceTheDeadlineHasCome() {
        assertFalse(DistillationRun.reportDue(DEADLINE - S, FIRST_QUERY, 0.96), "a second early: wait for the trainer");
        assertTrue(DistillationRun.reportDue(DEADLINE, FIRST_QUERY, 0.96));
        assertTrue(DistillationRun.reportDue(DEADLINE + 30 * S, FIRST_QUERY, 0.80),
                "below the target too: reported as not reached rather than waited for");
    }

    @Test
    void neverReportsWithoutAServedCheckpointOrBeforeTheFirstQuery() {
        assertFalse(DistillationRun.reportDue(DEADLINE + 60 * S, FIRST_QUERY, null),
                "nothing served yet: keep waiting, the run's timeout bounds that");
        assertFalse(DistillationRun.reportDue(DEADLINE + 60 * S, -1, 0.96), "no query sent yet");
    }
}
