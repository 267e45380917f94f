package dev.distillery.demo.run;

import java.util.Locale;

import dev.distillery.demo.process.Clock;

/** The periodic status line printed while the pipeline works, so that a run is never minutes of silence. */
public final class ProgressLine {

    private ProgressLine() {
    }

    static String format(double elapsedSeconds, PipelineStatus s) {
        StringBuilder line = new StringBuilder(Clock.stamp(elapsedSeconds)).append(' ');
        line.append("teacher ").append(bar(s.labeled() + s.rejected(), s.sent())).append(' ')
                .append(s.labeled()).append(" labeled, ").append(s.rejected()).append(" rejected");
        line.append(" | trainer ");
        if (s.trainerRounds() == null) {
            line.append('-');
        } else {
            line.append(s.trainerRounds()).append(s.trainerRounds() == 1 ? " round, " : " rounds, ")
                    .append(s.trainerExamplesSeen() == null ? "?" : s.trainerExamplesSeen()).append(" seen");
            if (s.trainerAgreement() != null) {
                line.append(", agreement ").append(String.format(Locale.ROOT, "%.3f", s.trainerAgreement()));
            }
        }
        line.append(" | checkpoints ").append(s.checkpointsPublished());
        line.append(" | student ");
        line.append(s.studentCheckpointVersion() == null ? "no checkpoint yet" : "serves v" + s.studentCheckpointVersion());
        return line.toString();
    }

    /** {@code [#####.....] 812/1551}: ten cells, never more than full. */
    static String bar(long done, long total) {
        int cells = total <= 0 ? 0 : (int) Math.min(10, done * 10 / total);
        return "[" + "#".repeat(cells) + ".".repeat(10 - cells) + "] " + done + "/" + total;
    }
}
