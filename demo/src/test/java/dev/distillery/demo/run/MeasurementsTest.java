package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MeasurementsTest {

    @Test
    void nearestRankPercentiles() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertEquals(50.0, LatencyProbe.percentile(values, 50));
        assertEquals(99.0, LatencyProbe.percentile(values, 99));
        assertEquals(7.0, LatencyProbe.percentile(new double[] {7}, 99));
        assertTrue(Double.isNaN(LatencyProbe.percentile(new double[0], 50)));
    }

    @Test
    void prometheusSumOverSeries() {
        String text = """
                # HELP distillery_trainer_step_seconds time per step
                # TYPE distillery_trainer_step_seconds summary
                distillery_trainer_step_seconds_count{device="cpu"} 40.0
                distillery_trainer_step_seconds_sum{device="cpu"} 4.0
                distillery_trainer_step_seconds_max{device="cpu"} 0.3
                distillery_trainer_step_seconds_count_other 9
                distillery_trainer_rounds_total 5.0
                """;
        assertEquals(40.0, PrometheusText.sum(text, "distillery_trainer_step_seconds_count"));
        assertEquals(4.0, PrometheusText.sum(text, "distillery_trainer_step_seconds_sum"));
        assertEquals(5.0, PrometheusText.sum(text, "distillery_trainer_rounds_total"));
        assertTrue(Double.isNaN(PrometheusText.sum(text, "missing_metric")));
    }

    @Test
    void builtInQueriesAreShuffledTheSameWayEveryTime() throws Exception {
        List<String> a = QuerySource.builtIn();
        List<String> b = QuerySource.builtIn();
        assertEquals(a, b);
        assertTrue(a.size() >= 1500);
        assertTrue(QuerySource.latencyProbes().size() >= 20);
        // Probes are held out: none of them is streamed.
        assertTrue(QuerySource.latencyProbes().stream().noneMatch(a::contains));
    }
}
