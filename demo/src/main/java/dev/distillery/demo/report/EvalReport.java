package dev.distillery.demo.report;

import static dev.distillery.demo.report.DemoReport.line;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.distillery.agreement.AgreementTally;

import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.run.CascadeCheck;
import dev.distillery.demo.run.EvalInput;

/**
 * What {@code ./distillery eval} prints and writes ({@code --report FILE}, JSON; field names are a contract).
 *
 * @param compared            texts both the teacher and the student answered (the others are counted, not scored)
 * @param agreement           student vs teacher over {@code compared}; then by the teacher's label and by length
 * @param textsByLabel        compared texts by the teacher's label (a label's figure on a handful says little)
 * @param labeled             compared texts the file gives a {@code label} for
 * @param studentAccuracy     student vs the file's label over {@code labeled} (NaN without labels); by label and
 *                            length in {@code studentAccuracyByLabel} / {@code studentAccuracyByLength}
 * @param teacherAccuracy     teacher vs the file's label over {@code labeled}
 * @param teacherRefused      texts the teacher gave no label for (a refusal such as HTTP 422, or a failed call)
 * @param studentRefused      texts the student gave no label for
 * @param disagreements       the first few texts where they differ, as {@code teacher -> student: text}
 * @param cascade             with {@code --cascade}, the texts sent one by one through the cascade (see
 *                            {@link CascadeCheck}); its fields are written at the top level ({@code cascadeCoverage},
 *                            ...), as in the demo report
 */
@JsonPropertyOrder({"file", "teacherUrl", "studentUrl", "texts", "compared", "agreement", "agreementByLabel",
        "agreementByLength", "textsByLabel", "textsByLength", "labeled", "studentAccuracy", "studentAccuracyByLabel",
        "studentAccuracyByLength", "teacherAccuracy", "teacherRefused", "studentRefused", "disagreements",
        "cascadeCoverage", "cascadeAgreement", "cascadeQueries", "teacherCallsSaved", "cascadePromptTokensSaved",
        "cascadeStudentAgreement", "cascadeScore", "cascadeThreshold", "cascadeCalibratedCoverage",
        "cascadeCoverageByLength", "cascadeAgreementByLength", "cascadeAgreementByLabel", "cascadeCoverageByQuarter"})
public record EvalReport(
        String file,
        String teacherUrl,
        String studentUrl,
        int texts,
        int compared,
        double agreement,
        Map<String, Double> agreementByLabel,
        Map<String, Double> agreementByLength,
        Map<String, Integer> textsByLabel,
        Map<String, Integer> textsByLength,
        int labeled,
        double studentAccuracy,
        Map<String, Double> studentAccuracyByLabel,
        Map<String, Double> studentAccuracyByLength,
        double teacherAccuracy,
        int teacherRefused,
        int studentRefused,
        List<String> disagreements,
        @JsonUnwrapped CascadeCheck.Result cascade) {

    public EvalReport {
        cascade = cascade == null ? CascadeCheck.Result.NONE : cascade;
    }

    static final int SHOWN_DISAGREEMENTS = 20;

    /** One text's answers; a label starting with {@code !} is why there is none. */
    public record Answer(EvalInput.Item item, String teacher, String student) {
        public boolean teacherAnswered() {
            return !teacher.startsWith("!");
        }

        public boolean studentAnswered() {
            return !student.startsWith("!");
        }
    }

    /** @param cascade the cascade's figures, or {@link CascadeCheck.Result#NONE} when it was not measured */
    public static EvalReport of(String file, String teacherUrl, String studentUrl, List<Answer> answers,
            CascadeCheck.Result cascade) {
        AgreementTally agreement = new AgreementTally();
        AgreementTally student = new AgreementTally();
        AgreementTally teacher = new AgreementTally();
        List<String> disagreements = new ArrayList<>();
        int teacherRefused = 0;
        int studentRefused = 0;
        for (Answer a : answers) {
            String text = a.item().text();
            teacherRefused += a.teacherAnswered() ? 0 : 1;
            studentRefused += a.studentAnswered() ? 0 : 1;
            if (!a.teacherAnswered() || !a.studentAnswered()) {
                continue;
            }
            agreement.add(text, a.teacher(), a.student());
            if (a.item().label() != null) {
                student.add(text, a.item().label(), a.student());
                teacher.add(text, a.item().label(), a.teacher());
            }
            if (!a.teacher().equals(a.student()) && disagreements.size() < SHOWN_DISAGREEMENTS) {
                disagreements.add(a.teacher() + " -> " + a.student() + ": "
                        + (text.length() > 80 ? text.substring(0, 80) + "..." : text));
            }
        }
        return new EvalReport(file, teacherUrl, studentUrl, answers.size(), agreement.total(), agreement.agreement(),
                agreement.byLabel(), agreement.byLength(), agreement.countByLabel(), agreement.countByLength(),
                student.total(), student.agreement(), student.byLabel(), student.byLength(), teacher.agreement(),
                teacherRefused, studentRefused, List.copyOf(disagreements), cascade);
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, HttpJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(this) + System.lineSeparator());
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        String rule = "-".repeat(64);
        text.append(rule).append('\n').append("Distillery eval: ").append(file).append('\n').append(rule).append('\n');
        line(text, "texts", texts + " (" + compared + " answered by both; teacher refused " + teacherRefused
                + ", student refused " + studentRefused + ")");
        line(text, "student vs teacher", fmt(agreement) + " (the student's own answers, policy student)");
        line(text, "  by teacher label", figures(agreementByLabel) + "  [texts " + textsByLabel + "]");
        line(text, "  by length (chars)", figures(agreementByLength) + "  [texts " + textsByLength + "]");
        if (labeled > 0) {
            line(text, "student vs file labels", fmt(studentAccuracy) + " (" + labeled + " labeled texts)");
            line(text, "  by label", figures(studentAccuracyByLabel));
            line(text, "  by length (chars)", figures(studentAccuracyByLength));
            line(text, "teacher vs file labels", fmt(teacherAccuracy));
        }
        if (!disagreements.isEmpty()) {
            text.append("disagreements (teacher -> student), first ").append(disagreements.size()).append(":\n");
            disagreements.forEach(d -> text.append("  ").append(d).append('\n'));
        }
        CascadeSection.render(text, "cascade, one text at a time", cascade);
        text.append(rule).append('\n');
        return text.toString();
    }

    /** {@code en 0.98  fr 1.00 ...}, wrapped every seven. */
    static String figures(Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (i > 0) {
                b.append(i % 7 == 0 ? "\n" + " ".repeat(33) : "  ");
            }
            b.append(e.getKey()).append(' ').append(e.getValue() == null ? "-" : fmt(e.getValue()));
            i++;
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    private static String fmt(double value) {
        return DemoReport.fmt("%.3f", value);
    }
}
