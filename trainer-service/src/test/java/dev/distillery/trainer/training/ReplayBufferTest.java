package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.distillery.trainer.intake.Example;

class ReplayBufferTest {

    private static Example example(int i) {
        return new Example("id-" + i, "text " + i, "en", new float[] {1f}, "Final Answer: en");
    }

    @Test
    void staysBoundedAndKeepsAUniformSampleOfTheWholeStream() {
        ReplayBuffer buffer = new ReplayBuffer(100, 7);
        for (int i = 0; i < 10_000; i++) {
            buffer.add(example(i));
        }
        assertEquals(100, buffer.size());
        List<Example> all = buffer.sample(100, new Random(1));
        long early = all.stream().filter(e -> Integer.parseInt(e.id().substring(3)) < 5_000).count();
        assertTrue(early > 25 && early < 75, "examples from the first half: " + early);
    }

    @Test
    void samplesAreDistinctAndNeverMoreThanHeld() {
        ReplayBuffer buffer = new ReplayBuffer(50, 7);
        for (int i = 0; i < 30; i++) {
            buffer.add(example(i));
        }
        List<Example> sample = buffer.sample(40, new Random(2));
        assertEquals(30, sample.size());
        Set<String> ids = new HashSet<>();
        sample.forEach(e -> ids.add(e.id()));
        assertEquals(30, ids.size());
        assertEquals(10, new HashSet<>(buffer.sample(10, new Random(3))).size());
    }

    @Test
    void deferralsAreDrawnAboutTheirWeightTimesAsOftenAndEpochsRepeatThem() {
        ReplayBuffer buffer = new ReplayBuffer(1000, 7, 4);
        for (int i = 0; i < 1000; i++) {
            buffer.add(new Example("id-" + i, "text " + i, "en", new float[] {1f}, "Final Answer: en", i % 10 == 0));
        }
        assertEquals(100, buffer.deferrals());
        Random rng = new Random(3);
        long deferred = 0;
        int drawn = 0;
        for (int round = 0; round < 200; round++) {
            List<Example> sample = buffer.sample(16, rng);
            assertEquals(16, new HashSet<>(sample).size());
            deferred += sample.stream().filter(Example::deferral).count();
            drawn += sample.size();
        }
        // weight 4 on 10% of the buffer: 4 * 100 / (4 * 100 + 900) = 0.31 of the draws (uniform would give 0.10)
        double share = deferred / (double) drawn;
        assertTrue(share > 0.26 && share < 0.36, "deferral share " + share);
        List<Example> epoch = buffer.epoch(rng);
        assertEquals(900 + 4 * 100, epoch.size());
        assertEquals(400, epoch.stream().filter(Example::deferral).count());
    }
}
