package dev.distillery.demo.report;

import static dev.distillery.demo.report.DemoReport.fmt;
import static dev.distillery.demo.report.DemoReport.line;

import java.util.stream.Collectors;

import dev.distillery.demo.run.CascadeCheck;

/** The cascade's lines of a text report: the demo's (its held-back queries) and {@code ./distillery eval --cascade}'s. */
final class CascadeSection {

    private CascadeSection() {
    }

    static void render(StringBuilder text, String title, CascadeCheck.Result cascade) {
        if (cascade.queries() == 0) {
            return;
        }
        line(text, title, "coverage " + fmt("%.3f", cascade.coverage()) + " (the student answered "
                + cascade.teacherCallsSaved() + " of " + cascade.queries() + "), served agreement "
                + fmt("%.3f", cascade.agreement()));
        if (!cascade.coverageByLength().isEmpty()) {
            line(text, "  coverage by length", EvalReport.figures(cascade.coverageByLength()));
            line(text, "  served agreement by length", EvalReport.figures(cascade.agreementByLength()));
        }
        if (!cascade.agreementByLabel().isEmpty()) {
            line(text, "  served agreement by label", EvalReport.figures(cascade.agreementByLabel()));
        }
        if (cascade.coverageByQuarter().size() > 1) {
            line(text, "  coverage by quarter", cascade.coverageByQuarter().stream().map(c -> fmt("%.3f", c))
                    .collect(Collectors.joining(" -> ")) + " (in the order sent; deferrals train the student)");
        }
        line(text, "  student's own answers", "agreement " + fmt("%.3f", cascade.studentAgreement())
                + ", threshold " + (cascade.threshold() == null ? "none (everything defers)"
                        : cascade.score() + " >= " + fmt("%.4f", cascade.threshold())));
        line(text, "  saved", cascade.teacherCallsSaved() + " teacher calls, " + cascade.promptTokensSaved()
                + " prompt tokens");
        if (!cascade.calibratedCoverage().isEmpty()) {
            StringBuilder c = new StringBuilder();
            cascade.calibratedCoverage().forEach((score, value) -> c.append(c.isEmpty() ? "" : ", ")
                    .append(score).append(' ').append(fmt("%.3f", value)));
            line(text, "  calibrated coverage", c + " (trainer, held-out, 95% bound >= target)");
        }
    }
}
