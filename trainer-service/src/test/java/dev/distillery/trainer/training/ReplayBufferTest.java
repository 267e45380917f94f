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
}
