package dev.distillery.task.language;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accuracy of {@link LanguageIdRules} on the shared multilingual file (not a test: it prints figures).
 * Lines 1-2000 cycle ar, bg, de, el, en, es, fr, hi, ru, sw, th, tr, ur, vi, zh; by the prompt's rules bg is ru and
 * sw and th are ot. Run from the repository root:
 * <pre>
 * java -cp common/target/classes:common/target/test-classes dev.distillery.task.language.LanguageIdRulesBenchmark \
 *     ../shared/data/tinker_multilingual.txt [--errors]
 * </pre>
 */
public final class LanguageIdRulesBenchmark {

    private static final List<String> CYCLE =
            List.of("ar", "bg", "de", "el", "en", "es", "fr", "hi", "ru", "sw", "th", "tr", "ur", "vi", "zh");
    private static final Map<String, String> EXPECTED = Map.of("bg", "ru", "sw", "ot", "th", "ot");

    private LanguageIdRulesBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        boolean showErrors = List.of(args).contains("--errors");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int n = Math.min(2000, lines.size());
        LanguageIdRules rules = new LanguageIdRules();
        Map<String, int[]> perLanguage = new TreeMap<>();
        Map<String, Integer> confusions = new TreeMap<>();
        int correct = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String language = CYCLE.get(i % CYCLE.size());
            String expected = EXPECTED.getOrDefault(language, language);
            LanguageIdRules.Verdict verdict = rules.explain(lines.get(i));
            int[] counts = perLanguage.computeIfAbsent(language + "->" + expected, k -> new int[2]);
            counts[1]++;
            if (verdict.label().equals(expected)) {
                counts[0]++;
                correct++;
            } else {
                confusions.merge(language + " as " + verdict.label(), 1, Integer::sum);
                if (showErrors) {
                    System.out.printf("line %d %s expected %s got %s: %s | %s%n", i + 1, language, expected,
                            verdict.label(), lines.get(i), verdict.reason());
                }
            }
        }
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.println("| language | expected | correct | total | accuracy |");
        System.out.println("|---|---|---|---|---|");
        perLanguage.forEach((k, c) -> {
            String[] parts = k.split("->");
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.3f |%n", parts[0], parts[1], c[0], c[1],
                    (double) c[0] / c[1]);
        });
        System.out.printf(Locale.ROOT, "| all | | %d | %d | %.4f |%n", correct, n, (double) correct / n);
        System.out.println("confusions: " + confusions);
        System.out.printf(Locale.ROOT, "classified %d lines in %.1f ms%n", n, ms);
        if (lines.size() > n) {
            System.out.println("probe lines " + (n + 1) + "-" + lines.size() + " (no expected label):");
            for (int i = n; i < lines.size(); i++) {
                if (showErrors) {
                    System.out.printf("  %s  <- %s%n", rules.classify(lines.get(i)), lines.get(i));
                }
            }
        }
    }
}
