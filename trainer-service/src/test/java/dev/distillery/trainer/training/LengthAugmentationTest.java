package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.distillery.trainer.intake.Example;

class LengthAugmentationTest {

    private static final List<String> GERMAN = List.of("Der Hund schläft im Garten.", "Wo ist hier der Bahnhof, bitte?",
            "Ich habe heute keine Zeit.", "Das Wetter wird morgen besser.", "Wir treffen uns morgen um acht.");
    private static final List<String> FRENCH = List.of("Le chien dort dans le jardin.", "Où est la gare, s'il vous plaît ?",
            "Je n'ai pas le temps aujourd'hui.", "Il fera meilleur demain matin.");

    private static Example example(String id, String text, String label) {
        return new Example(id, text, label, new float[] {label.equals("de") ? 1f : 0f, label.equals("fr") ? 1f : 0f},
                "Final Answer: " + label);
    }

    @Test
    void lengthenedTextsAreJoinedFromTheirLabelOnlyAndCroppedToTheRange() {
        LengthAugmentation augmentation = new LengthAugmentation(1.0, 0, 60, 300, 64);
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < GERMAN.size(); i++) {
            batch.add(example("de-" + i, GERMAN.get(i), "de"));
            augmentation.observe(batch.get(batch.size() - 1));
        }
        for (int i = 0; i < FRENCH.size(); i++) {
            batch.add(example("fr-" + i, FRENCH.get(i), "fr"));
            augmentation.observe(batch.get(batch.size() - 1));
        }
        Set<String> germanWords = words(GERMAN);
        Set<String> frenchWords = words(FRENCH);
        Random random = new Random(1);
        for (int round = 0; round < 50; round++) {
            List<Example> out = augmentation.apply(batch, random);
            assertEquals(batch.size(), out.size());
            for (int i = 0; i < out.size(); i++) {
                Example e = out.get(i);
                Example seed = batch.get(i);
                assertEquals(seed.label(), e.label());
                assertSame(seed.target(), e.target(), "the teacher's target of a same-label text");
                assertEquals(seed.id() + "#long", e.id());
                int length = e.text().codePointCount(0, e.text().length());
                assertTrue(length >= 60 && length <= 300 + 40, "length " + length + ": " + e.text());
                Set<String> own = seed.label().equals("de") ? germanWords : frenchWords;
                for (String w : e.text().split(" ")) {
                    assertTrue(own.contains(w), "'" + w + "' comes from a " + seed.label() + " example, whole: "
                            + e.text());
                }
            }
        }
    }

    @Test
    void aShareOfTheBatchIsLengthenedAndNoneWhenOff() {
        LengthAugmentation augmentation = new LengthAugmentation(0.3, 0, 60, 300, 8);
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(example("de-" + i, GERMAN.get(i % GERMAN.size()), "de"));
            augmentation.observe(batch.get(i));
        }
        long lengthened = augmentation.apply(batch, new Random(2)).stream().filter(e -> e.id().endsWith("#long"))
                .count();
        assertTrue(lengthened > 250 && lengthened < 350, "about 30%: " + lengthened);
        assertSame(batch, LengthAugmentation.off().apply(batch, new Random(2)));
        // Its label's only example: repeated, still that label.
        LengthAugmentation lonely = new LengthAugmentation(1.0, 0, 100, 100, 8);
        Example one = example("fr-0", "Le chien dort dans le jardin.", "fr");
        Example long_ = lonely.apply(List.of(one), new Random(3)).get(0);
        assertTrue(long_.text().length() >= 80 && long_.text().contains("chien"), long_.text());
        assertThrows(IllegalArgumentException.class, () -> new LengthAugmentation(1.5, 0, 60, 300, 8));
        assertThrows(IllegalArgumentException.class, () -> new LengthAugmentation(0.5, 0, 300, 60, 8));
        assertThrows(IllegalArgumentException.class, () -> new LengthAugmentation(0.5, -0.1, 60, 300, 8));
    }

    @Test
    void shortExamplesAreNeitherLengthenedNorJoinedIntoOthers() {
        LengthAugmentation augmentation = new LengthAugmentation(1.0, 0, 60, 300, 8);
        Example greeting = example("es-0", "Muchas gracias", "ot");
        Example sentence = example("ot-1", "Questa sera andiamo tutti al cinema insieme.", "ot");
        augmentation.observe(greeting);
        augmentation.observe(sentence);
        Random random = new Random(4);
        for (int i = 0; i < 20; i++) {
            List<Example> out = augmentation.apply(List.of(greeting, sentence), random);
            assertSame(greeting, out.get(0), "a short text's label may hold for it only");
            assertFalse(out.get(1).text().contains("gracias"), out.get(1).text());
            assertTrue(out.get(1).text().length() >= 60, out.get(1).text());
        }
    }

    @Test
    void fragmentsAreAFewWordsOfTheExampleItself() {
        LengthAugmentation augmentation = new LengthAugmentation(0.3, 0.5, 60, 300, 8);
        String sentence = "Der Stadtrat hat am Dienstag beschlossen, das Busnetz bis zum Stadtrand zu erweitern.";
        Example seed = example("de-1", sentence, "de");
        Random random = new Random(5);
        for (int i = 0; i < 30; i++) {
            Example part = augmentation.fragment(seed, random);
            assertEquals("de-1#part", part.id());
            assertEquals("de", part.label());
            assertTrue(sentence.contains(part.text()), part.text());
            int words = part.text().split(" ").length;
            assertTrue(words >= LengthAugmentation.FRAGMENT_MIN_WORDS && words <= LengthAugmentation.FRAGMENT_MAX_WORDS,
                    "whole words, never one or two: " + part.text());
        }
        String chinese = "市议会周二决定将公交网络延伸到城市边缘地区并增加夜间班次以方便居民出行";
        Example han = augmentation.fragment(example("zh-1", chinese, "zh"), random);
        assertTrue(chinese.contains(han.text()) && han.text().length() >= LengthAugmentation.FRAGMENT_MIN_CHARS
                && han.text().length() <= LengthAugmentation.FRAGMENT_MAX_CHARS, "characters where no spaces: " + han.text());
        Example shortOne = example("de-2", "Wo ist der Bahnhof?", "de");
        assertSame(shortOne, augmentation.fragment(shortOne, random), "already a fragment");
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(example("de-" + i, sentence, "de"));
        }
        long parts = augmentation.apply(batch, new Random(6)).stream().filter(e -> e.id().endsWith("#part")).count();
        assertTrue(parts > 100 && parts < 200, "about 15%: " + parts);
    }

    @Test
    void cropsStartAndEndAtSpacesAndKeepTextsWithoutSpaces() {
        Random random = new Random(4);
        String latin = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi";
        for (int i = 0; i < 20; i++) {
            String c = LengthAugmentation.crop(latin, 30, random);
            assertTrue(latin.contains(c), c);
            assertTrue(latin.startsWith(c) || latin.contains(" " + c), "starts at a word: " + c);
            assertTrue(latin.endsWith(c) || latin.contains(c + " "), "ends at a word: " + c);
        }
        String chinese = "如果你打算八月出行至少提前两周预订渡轮我们到了港口才想买票结果只能在车里过夜";
        for (int i = 0; i < 20; i++) {
            // No spaces: cut exactly at the target length.
            String c = LengthAugmentation.crop(chinese, 10, random);
            assertEquals(10, c.codePointCount(0, c.length()));
            assertTrue(chinese.contains(c), c);
        }
        assertEquals("short", LengthAugmentation.crop("short", 10, random));
    }

    private static Set<String> words(List<String> texts) {
        return texts.stream().flatMap(t -> java.util.Arrays.stream(t.split(" "))).collect(Collectors.toSet());
    }
}
