package dev.distillery.student.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.model.Prediction;
import dev.distillery.student.cascade.CascadeAnswer;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.serving.StudentSetup;

/** Turns predictions into response bodies. */
@ApplicationScoped
public class Answers {

    private final List<String> labels;
    private final int topK;

    public Answers(StudentSetup setup, StudentConfig config) {
        this.labels = setup.task().labels();
        this.topK = Math.min(Math.max(0, config.student().topK()), labels.size());
    }

    ClassifyResponse classify(CascadeAnswer a, Long checkpoint, long startedNanos) {
        Prediction p = a.student();
        if (p == null) {
            return new ClassifyResponse(a.label(), null, null, null, null, millisSince(startedNanos), 0,
                    a.answeredBy(), a.deferred(), a.threshold());
        }
        return new ClassifyResponse(a.label(), p.confidence(), ConfidenceScore.MARGIN.of(p), topScores(p), checkpoint,
                millisSince(startedNanos), p.tokens(), a.answeredBy(), a.deferred(), a.threshold());
    }

    private List<LabelScore> topScores(Prediction p) {
        List<LabelScore> scores = null;
        if (topK > 0) {
            scores = new ArrayList<>(labels.size());
            for (int i = 0; i < labels.size(); i++) {
                scores.add(new LabelScore(labels.get(i), p.probabilities().get(i)));
            }
            scores.sort(Comparator.comparingDouble(LabelScore::score).reversed());
            scores = List.copyOf(scores.subList(0, topK));
        }
        return scores;
    }

    static double millisSince(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 10_000.0) / 100.0;
    }
}
