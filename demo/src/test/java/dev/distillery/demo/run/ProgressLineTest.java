package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void beforeTheServicesAnswer() {
        PipelineStatus s = new PipelineStatus(1551, 0, 0, 0, null, null, null, null, null, null, null);
        assertEquals("[    3s] teacher [..........] 0/1551 0 labeled, 0 rejected | trainer - | checkpoints 0"
                + " | student no checkpoint yet", ProgressLine.format(3.2, s));
    }

    @Test
    void midway() {
        PipelineStatus s = new PipelineStatus(1551, 800, 12, 2, 5L, 790L, 0.9123, 2L, 0.9, 2L, 0.9);
        assertEquals("[   42s] teacher [#####.....] 812/1551 800 labeled, 12 rejected | trainer 5 rounds, 790 seen,"
                + " agreement 0.912 | checkpoints 2 | student serves v2", ProgressLine.format(41.6, s));
    }

    @Test
    void barNeverOverflows() {
        assertEquals("[##########] 12/10", ProgressLine.bar(12, 10));
        assertEquals("[..........] 0/0", ProgressLine.bar(0, 0));
        assertEquals("[#.........] 1/10", ProgressLine.bar(1, 10));
    }

    @Test
    void teacherDoneCountsRejections() {
        assertEquals(true, new PipelineStatus(10, 7, 3, 0, null, null, null, null, null, null, null).teacherDone());
        assertEquals(false, new PipelineStatus(10, 7, 2, 0, null, null, null, null, null, null, null).teacherDone());
        assertEquals(false, new PipelineStatus(0, 0, 0, 0, null, null, null, null, null, null, null).teacherDone());
    }
}
