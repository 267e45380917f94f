package dev.distillery.task.language;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic reference implementation of the built-in language-id prompt's rules: the stand-in teacher for
 * offline runs and tests, and the ground truth of the demo. It follows the prompt step by step:
 * <ol>
 * <li>clean the text (web addresses, e-mail, paths, handles, hashtags, code syntax; see {@link TextCleaner});</li>
 * <li>the writing system decides first: Devanagari hi, Greek el, Cyrillic ru, Han zh, Arabic script ur when it
 * has letters Urdu has and Arabic lacks else ar, any other script ot; a text whose letters are split between
 * scripts with no clear majority is ot;</li>
 * <li>Latin-script text: evidence from letters and function words of vi, tr, de, es, fr, en, weighed against the
 * same kind of evidence for Latin languages outside the list and for romanized text, which come out ot;</li>
 * <li>hard cases: very short Latin text, mixed languages without a clear winner, no evidence at all: ot.</li>
 * </ol>
 * Thread-safe and stateless.
 *
 * <p>One concern, over the ~350-line guide: the prompt's rules, step by step, kept in one file so they read against
 * the prompt; the word lists are {@link LatinLexicon}, the cleaning {@link TextCleaner}.
 */
public final class LanguageIdRules {

    public static final String OT = "ot";
    public static final List<String> LABELS =
            List.of("ar", "de", "el", "en", "es", "fr", "hi", "ru", "tr", "ur", "vi", "zh", OT);

    /** A dominant script needs this share of the (weighted) letters; below it the text is mixed. */
    private static final double SCRIPT_MAJORITY = 0.65;
    /** Han characters and Hangul syllables carry about a word each, so they weigh more than an alphabet letter. */
    private static final int SYLLABIC_WEIGHT = 3;
    private static final int KANA_WEIGHT = 2;
    /** Latin text with fewer words or letters than this is "very short" (Step 4). */
    private static final int MIN_LATIN_WORDS = 3;
    private static final int MIN_LATIN_LETTERS = 8;
    /** The winner needs this much evidence, this ratio over the runner-up and this absolute lead. */
    private static final double MIN_EVIDENCE = 1.5;
    private static final double MIN_EVIDENCE_PER_WORD = 0.15;
    private static final double MIN_RATIO = 2.0;
    private static final double MIN_LEAD = 1.0;

    /** Letters only Vietnamese writes among Latin-script languages. */
    private static final String VIETNAMESE_LETTERS = "ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ";
    /** Letters Urdu has and Arabic lacks (the prompt's list plus Farsi yeh and heh goal, which Urdu writes daily). */
    private static final Set<Integer> URDU_LETTERS = "ٹڈڑںھےۓکگپچژیہۂۃ".codePoints().boxed()
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final Set<String> LATIN_LABELS = Set.of("vi", "tr", "de", "es", "fr", "en");
    private static final Pattern LATIN_WORD =
            Pattern.compile("[\\p{IsLatin}\\p{M}]+(?:['’ʼ][\\p{IsLatin}\\p{M}]+)*");
    private static final Pattern FRENCH_ELISION =
            Pattern.compile("(j|l|qu|c|n|d|s|m|t|jusqu|lorsqu|puisqu)'(.+)");
    private static final Pattern ITALIAN_ELISION = Pattern.compile("(un|dell|all|nell|sull|dall)'(.+)");
    /** Turkish verb and plural-possessive endings that other Latin languages rarely end a word with. */
    private static final Pattern TURKISH_SUFFIX = Pattern.compile(
            ".{3,}(?:[iıuü]yor\\p{L}*|yordu\\p{L}*|lerini|larını|leri|ları|lerin|ların|mek|mak|mişti|mıştı|dikleri|tikleri|"
                    + "diğini|dığını|sınız|siniz|yorsun|madan|meden|acak|ecek|acağım|eceğim|abilir\\p{L}*|ebilir\\p{L}*|"
                    + "larda|lerde|lardan|lerden|sına|sine|suna|sını|sini|sunu|meyi|mayı)");
    /** English derivational and inflectional endings, for content words no lexicon lists. */
    private static final Pattern ENGLISH_SUFFIX = Pattern.compile("[a-z]{3,}(?:ing|ings|ly|ness|ful|ed)");
    /** German noun and adjective endings (Step 3's "letters and endings"), rare at the end of other languages' words. */
    private static final Pattern GERMAN_SUFFIX =
            Pattern.compile("\\p{L}{3,}(?:ung|ungen|heit|keit|schaft|lich|liche|lichen|licher|chen|ieren|iert)");
    /** Spanish endings that Portuguese (-ção, -ram), Italian (-zione) and French (-tion) spell differently. */
    private static final Pattern SPANISH_SUFFIX = Pattern.compile("\\p{L}{2,}(?:ción|ciones|aron|ieron|idad|idades)");
    /** French plural and feminine endings (-eux, -eaux, -euse, -ées) and the imperfect's -aient. */
    private static final Pattern FRENCH_SUFFIX =
            Pattern.compile("\\p{L}{2,}(?:eille|eilles|eaux|eux|euse|euses|aient|ées)");
    /** Turkish passive aorist (içilir, kaynatılır): a short stem, so it gets its own pattern. */
    private static final Pattern TURKISH_PASSIVE = Pattern.compile("\\p{L}{2,}(?:ılır|ilir|ulur|ülür)");
    private static final Pattern ENGLISH_CONTRACTION = Pattern.compile("(.+?)(n't|'s|'t|'m|'re|'ve|'ll|'d)");

    /** Word lookups: each lexicon that holds a word shares one point, so words common to many languages say little. */
    private static final Map<String, List<String>> WORD_LANGUAGES = new HashMap<>();

    static {
        LatinLexicon.WORDS.forEach((language, words) -> words
                .forEach(w -> WORD_LANGUAGES.computeIfAbsent(w, k -> new ArrayList<>()).add(language)));
    }

    /** The label and a short reason, for debugging and evaluation. */
    public record Verdict(String label, String reason) {
    }

    public String classify(String text) {
        return explain(text).label();
    }

    public Verdict explain(String text) {
        if (text == null) {
            return new Verdict(OT, "no text");
        }
        String cleaned = TextCleaner.clean(text);
        ScriptCounts scripts = ScriptCounts.of(cleaned);
        if (scripts.total() == 0) {
            return new Verdict(OT, "no letters after cleaning");
        }
        String dominant = scripts.dominant();
        if (dominant == null) {
            return new Verdict(OT, "mixed scripts without a majority " + scripts);
        }
        return switch (dominant) {
            case "latin" -> latin(cleaned);
            case "arabic" -> scripts.urduLetters > 0 && (scripts.urduLetters >= 2 || scripts.arabic < 30)
                    ? new Verdict("ur", "Arabic script with Urdu letters")
                    : new Verdict("ar", "Arabic script");
            case "other" -> new Verdict(OT, "script outside the label set");
            default -> new Verdict(dominant, "script");
        };
    }

    private Verdict latin(String cleaned) {
        List<String> words = latinWords(cleaned).stream().filter(w -> !LatinLexicon.NEUTRAL.contains(w)).toList();
        int letters = 0;
        for (String w : words) {
            letters += (int) w.codePoints().filter(Character::isLetter).count();
        }
        if (words.size() < MIN_LATIN_WORDS || letters < MIN_LATIN_LETTERS) {
            return new Verdict(OT, "very short Latin text (" + words.size() + " words, " + letters + " letters)");
        }
        boolean vietnameseText = isVietnamese(words);
        // Each piece of evidence names the languages it supports; a word shared by several lexicons splits its point.
        List<Map<String, Double>> evidence = new ArrayList<>();
        for (String w : words) {
            List<String> languages = WORD_LANGUAGES.get(w);
            if (languages != null) {
                Map<String, Double> item = new HashMap<>();
                languages.forEach(language -> item.put(language, 1.0 / languages.size()));
                evidence.add(item);
            }
            if (vietnameseText && !isAscii(w)) {
                // In Vietnamese text, circumflexes, graves and acutes are tone and vowel marks, not French or Spanish.
                evidence.add(Map.of("vi", hasVietnameseLetter(w) ? 2.0 : 1.0));
            } else {
                letterEvidence(w, evidence);
            }
        }
        long inverted = cleaned.codePoints().filter(c -> c == '¿' || c == '¡').count();
        if (inverted > 0) {
            evidence.add(Map.of("es", 1.5 * Math.min(inverted, 3)));
        }
        Map<String, Double> score = new HashMap<>();
        evidence.forEach(item -> item.forEach((language, w) -> score.merge(language, w, Double::sum)));
        String best = null;
        String second = null;
        for (String language : score.keySet()) {
            if (best == null || score.get(language) > score.get(best)
                    || (score.get(language).equals(score.get(best)) && priority(language) < priority(best))) {
                second = best;
                best = language;
            } else if (second == null || score.get(language) > score.get(second)) {
                second = language;
            }
        }
        double s1 = best == null ? 0 : score.get(best);
        String summary = best + "=" + round(s1) + " words=" + words.size();
        if (best == null || s1 < MIN_EVIDENCE || s1 < MIN_EVIDENCE_PER_WORD * words.size()) {
            return new Verdict(OT, "no clear evidence of a labeled language (" + summary + ")");
        }
        if (second != null) {
            // Mixing is judged on the evidence that tells the two apart, not on words both languages share.
            double own = exclusive(evidence, best, second);
            double other = exclusive(evidence, second, best);
            summary += " against " + second + ": " + round(own) + " vs " + round(other);
            if (own < MIN_RATIO * other || own - other < MIN_LEAD) {
                return new Verdict(OT, "mixed languages without a clear majority (" + summary + ")");
            }
        }
        if (!LATIN_LABELS.contains(best)) {
            return new Verdict(OT, "Latin-script language outside the label set: " + best + " (" + summary + ")");
        }
        return new Verdict(best, "Latin evidence (" + summary + ")");
    }

    private static double exclusive(List<Map<String, Double>> evidence, String language, String against) {
        double sum = 0;
        for (Map<String, Double> item : evidence) {
            if (item.containsKey(language) && !item.containsKey(against)) {
                sum += item.get(language);
            }
        }
        return sum;
    }

    /** The prompt's order (vi, tr, de, es, fr, en) breaks exact ties. */
    private static int priority(String language) {
        int i = List.of("vi", "tr", "de", "es", "fr", "en").indexOf(language);
        return i < 0 ? 100 : i;
    }

    /**
     * Vietnamese is told by its own letters (ơ ư đ and the stacked tone marks); once two words have them, or one
     * word and a Vietnamese function word, the text is Vietnamese and its other accents are Vietnamese too.
     */
    private static boolean isVietnamese(List<String> words) {
        int ownLetters = 0;
        int functionWords = 0;
        for (String w : words) {
            if (hasVietnameseLetter(w)) {
                ownLetters++;
            }
            if (WORD_LANGUAGES.getOrDefault(w, List.of()).contains("vi")) {
                functionWords++;
            }
        }
        return ownLetters >= 2 || (ownLetters == 1 && functionWords >= 1);
    }

    private static boolean hasVietnameseLetter(String w) {
        return w.chars().anyMatch(c -> VIETNAMESE_LETTERS.indexOf(c) >= 0);
    }

    private static boolean isAscii(String w) {
        return w.chars().allMatch(c -> c < 128);
    }

    /** Letters that point at a language, counted once per word and kind. */
    private static void letterEvidence(String w, List<Map<String, Double>> evidence) {
        boolean vietnamese = false;
        boolean turkish = false;
        boolean german = false;
        boolean aUmlaut = false;
        boolean umlaut = false;
        boolean cedilla = false;
        boolean spanish = false;
        boolean acute = false;
        boolean eAcute = false;
        boolean french = false;
        boolean breve = false;
        String other = null;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (VIETNAMESE_LETTERS.indexOf(c) >= 0) {
                vietnamese = true;
                continue;
            }
            switch (c) {
                case 'ă' -> breve = true;
                case 'ı', 'ğ', 'ş' -> turkish = true;
                case 'ö', 'ü' -> umlaut = true;
                case 'ç' -> cedilla = true;
                case 'ß' -> german = true;
                case 'ä' -> aUmlaut = true;
                case 'ñ' -> spanish = true;
                case 'á', 'í', 'ó', 'ú' -> acute = true;
                case 'é' -> eAcute = true;
                case 'è', 'ê', 'à', 'ù', 'û', 'î', 'ï', 'ë', 'â', 'ô', 'œ' -> french = true;
                case 'ã', 'õ' -> other = "pt";
                case 'ł', 'ą', 'ę', 'ś', 'ź', 'ż', 'ć', 'ń' -> other = "pl";
                case 'ř', 'ě', 'ů', 'ť', 'ď', 'ň', 'č', 'š', 'ž' -> other = "cs";
                case 'å', 'ø', 'æ' -> other = "nordic";
                case 'ș', 'ț' -> other = "ro";
                case 'ő', 'ű' -> other = "hu";
                case 'ò', '·' -> other = "ca";
                case 'ā', 'ē', 'ī', 'ō', 'ū', 'ǎ', 'ǐ', 'ǒ', 'ǔ', 'ǚ' -> other = "zh-latn";
                default -> {
                }
            }
        }
        if (!vietnamese && (TURKISH_SUFFIX.matcher(w).matches() || TURKISH_PASSIVE.matcher(w).matches())) {
            evidence.add(Map.of("tr", 0.75));
        }
        if (vietnamese) {
            // A Vietnamese-only letter says more than anything else in the word.
            evidence.add(Map.of("vi", 2.0));
            return;
        }
        if (breve) {
            evidence.add(Map.of("vi", 1.0, "ro", 1.0));
        }
        if (turkish) {
            evidence.add(Map.of("tr", 1.5));
        }
        if (umlaut) {
            evidence.add(Map.of("tr", 0.5, "de", 0.5));
        }
        if (cedilla) {
            evidence.add(Map.of("tr", 0.5, "fr", 0.5));
        }
        if (german) {
            evidence.add(Map.of("de", 1.5));
        }
        if (aUmlaut) {
            // German, but also Finnish, Estonian, Swedish, Slovak: a hint, not proof.
            evidence.add(Map.of("de", 0.75, "fi", 0.75));
        }
        if (GERMAN_SUFFIX.matcher(w).matches()) {
            evidence.add(Map.of("de", 0.75));
        }
        if (FRENCH_SUFFIX.matcher(w).matches()) {
            evidence.add(Map.of("fr", 0.5));
        }
        if (SPANISH_SUFFIX.matcher(w).matches()) {
            evidence.add(Map.of("es", 0.75));
        }
        if (ENGLISH_SUFFIX.matcher(w).matches()) {
            evidence.add(Map.of("en", 0.5));
        }
        if (spanish) {
            evidence.add(Map.of("es", 1.5));
        }
        if (acute) {
            evidence.add(Map.of("es", 0.5));
        }
        if (eAcute) {
            evidence.add(Map.of("fr", 0.5, "es", 0.25));
        }
        if (french) {
            evidence.add(Map.of("fr", 0.75));
        }
        if (other != null) {
            evidence.add(Map.of(other, 1.5));
        }
    }

    /** Lower-cased Latin words; contractions and elisions are split so that their parts count as evidence. */
    static List<String> latinWords(String cleaned) {
        List<String> words = new ArrayList<>();
        Matcher m = LATIN_WORD.matcher(cleaned);
        while (m.find()) {
            String w = lower(m.group().replace('’', '\'').replace('ʼ', '\''));
            if (w.indexOf('\'') < 0) {
                words.add(w);
                continue;
            }
            Matcher fr = FRENCH_ELISION.matcher(w);
            Matcher it = ITALIAN_ELISION.matcher(w);
            Matcher en = ENGLISH_CONTRACTION.matcher(w);
            if (fr.matches()) {
                words.add(fr.group(1) + "'");
                words.add(fr.group(2));
            } else if (it.matches()) {
                words.add(it.group(1) + "'");
                words.add(it.group(2));
            } else if (en.matches()) {
                words.add(en.group(1));
                words.add(en.group(2));
            } else {
                for (String part : w.split("'")) {
                    if (!part.isEmpty()) {
                        words.add(part);
                    }
                }
            }
        }
        return words;
    }

    /** Root-locale lower case, except that Turkish dotted capital I becomes a plain i (not i + combining dot). */
    private static String lower(String w) {
        return w.replace('İ', 'i').toLowerCase(Locale.ROOT);
    }

    private static String round(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** Letters per writing system, weighted so that a Han character counts about as much as a word. */
    private static final class ScriptCounts {
        int latin;
        int cyrillic;
        int greek;
        int devanagari;
        int han;
        int kana;
        int arabic;
        int urduLetters;
        int other;
        /** Latin letters in capitalized words: names, brands and acronyms inside text of another script. */
        int latinCapitalized;

        static ScriptCounts of(String s) {
            ScriptCounts c = new ScriptCounts();
            boolean inWord = false;
            boolean capitalized = false;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (!Character.isLetter(cp)) {
                    inWord = Character.getType(cp) == Character.NON_SPACING_MARK && inWord;
                    continue;
                }
                if (!inWord) {
                    capitalized = Character.isUpperCase(cp);
                }
                inWord = true;
                switch (Character.UnicodeScript.of(cp)) {
                    case LATIN -> {
                        c.latin++;
                        if (capitalized) {
                            c.latinCapitalized++;
                        }
                    }
                    case CYRILLIC -> c.cyrillic++;
                    case GREEK -> c.greek++;
                    case DEVANAGARI -> c.devanagari++;
                    case HAN -> c.han += SYLLABIC_WEIGHT;
                    case HIRAGANA, KATAKANA -> c.kana += KANA_WEIGHT;
                    case HANGUL -> c.other += SYLLABIC_WEIGHT;
                    case ARABIC -> {
                        c.arabic++;
                        if (URDU_LETTERS.contains(cp)) {
                            c.urduLetters++;
                        }
                    }
                    case COMMON, INHERITED -> {
                    }
                    default -> c.other++;
                }
            }
            // Japanese writes Han between kana: with enough kana, the Han characters are Japanese too (ot).
            if (c.kana > 0 && c.kana * 10 >= c.han + c.kana) {
                c.other += c.kana + c.han;
                c.kana = 0;
                c.han = 0;
            } else {
                c.other += c.kana;
                c.kana = 0;
            }
            return c;
        }

        int total() {
            return latin + cyrillic + greek + devanagari + han + arabic + other;
        }

        /**
         * The script holding a clear majority of the letters, or null when none does. Against another script,
         * capitalized Latin words are names or brands (no language of their own), so they do not count.
         */
        String dominant() {
            int total = total();
            if (latin >= SCRIPT_MAJORITY * total) {
                return "latin";
            }
            int withoutNames = total - latinCapitalized;
            Map<String, Integer> groups = Map.of("ru", cyrillic, "el", greek, "hi", devanagari,
                    "zh", han, "arabic", arabic, "other", other);
            for (Map.Entry<String, Integer> e : groups.entrySet()) {
                if (e.getValue() > 0 && e.getValue() >= SCRIPT_MAJORITY * withoutNames) {
                    return e.getKey();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "latin=" + latin + " cyrillic=" + cyrillic + " greek=" + greek + " devanagari=" + devanagari
                    + " han=" + han + " arabic=" + arabic + " other=" + other;
        }
    }
}
