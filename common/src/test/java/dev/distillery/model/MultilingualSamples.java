package dev.distillery.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labeled sentences for learning checks, built from word lists: 13 labels like the language-id task (12 languages and
 * {@code ot}). Sentences are bags of frequent words, so Latin-script languages differ only by function words and
 * diacritics, as they do for the rules teacher.
 */
final class MultilingualSamples {

    static final List<String> LABELS = List.of("ar", "de", "el", "en", "es", "fr", "hi", "ru", "tr", "ur", "vi", "zh",
            "ot");

    private static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("ar", words("في من على إلى هذا التي الذي كان مع عن هذه بين كل ما لا أن قد الكتاب المدرسة البيت"
                    + " اليوم جميل كبير العمل الناس الوقت مدينة")),
            Map.entry("de", words("der die das und ist nicht ich mit für auf dem ein eine zu sich auch über schön"
                    + " Straße müssen Mädchen größer heute arbeiten Haus Stadt wir")),
            Map.entry("el", words("και το η ο της των στο για με που είναι δεν από θα σε ένα αυτό σπίτι καλημέρα"
                    + " ευχαριστώ σήμερα μεγάλο δουλειά άνθρωποι χρόνος πόλη")),
            Map.entry("en", words("the and is of to in that it with for was on are this you have from they would"
                    + " there their what about people water house today city")),
            Map.entry("es", words("el la de que y en los se del las por un una para con no más pero está también"
                    + " años niño mañana año corazón canción ciudad")),
            Map.entry("fr", words("le la les de et est un une que qui dans pour pas sur avec ce être très été où"
                    + " français garçon déjà après école leçon ville")),
            Map.entry("hi", words("और का की के है में से को यह वह एक नहीं पर भी था हम आप लोग समय घर पानी आज काम"
                    + " बहुत अच्छा शहर")),
            Map.entry("ru", words("и в не на я что он с как это по но из у за мы вы они было дом время сегодня"
                    + " работа очень хорошо люди город")),
            Map.entry("tr", words("ve bir bu da de için ile çok ne gibi daha olan ama ben sen değil şey güzel"
                    + " çocuk öğrenci ağaç işte bugün kız ev şehir")),
            Map.entry("ur", words("اور کا کی کے ہے میں سے کو یہ وہ ایک نہیں پر بھی تھا ہم آپ لوگ وقت گھر پانی"
                    + " آج کام بہت اچھا شہر")),
            Map.entry("vi", words("và của là có không người một những được trong cho đã này với các để khi nhà"
                    + " nước hôm nay rất tốt công việc thời gian")),
            Map.entry("zh", words("的 是 不 了 在 人 有 我 他 这 个 们 中 来 上 大 为 和 国 地 到 以 说 时 要 就 出 会"
                    + " 可 也 你 对 生 能 而 子 那 得 着 下 自 之 年 过 发 后 作 里 城市")),
            Map.entry("ot", words("123 4567 89 2024 3.14 x = y + 1; return null; <div> </div> :) #tag @user ok"
                    + " こんにちは ありがとう すし 東京 42 == != {} [] 0xFF www ???")));

    private MultilingualSamples() {
    }

    record Sample(String text, String label) {
        int labelIndex() {
            return LABELS.indexOf(label);
        }
    }

    /** {@code n} samples, labels cycling, words drawn with {@code seed}. */
    static List<Sample> generate(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String label = LABELS.get(i % LABELS.size());
            String[] vocab = WORDS.get(label);
            int length = 3 + random.nextInt(10);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < length; w++) {
                if (w > 0 && !label.equals("zh")) {
                    sb.append(' ');
                }
                sb.append(vocab[random.nextInt(vocab.length)]);
            }
            out.add(new Sample(sb.toString(), label));
        }
        return out;
    }

    static float[][] oneHot(List<Sample> samples) {
        float[][] targets = new float[samples.size()][LABELS.size()];
        for (int i = 0; i < samples.size(); i++) {
            targets[i][samples.get(i).labelIndex()] = 1f;
        }
        return targets;
    }

    static double accuracy(StudentModel model, List<Sample> samples) {
        List<Prediction> predictions = model.predict(samples.stream().map(Sample::text).toList());
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            correct += predictions.get(i).label().equals(samples.get(i).label()) ? 1 : 0;
        }
        return (double) correct / samples.size();
    }

    /** Shuffled mini-batch training for {@code epochs} passes; returns the last step's loss. */
    static double train(StudentModel model, List<Sample> train, int epochs, int batch, double lr, long seed) {
        List<Double> losses = trainLosses(model, train, epochs, batch, lr, seed);
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }

    /** Shuffled mini-batch training for {@code epochs} passes; returns every step's loss. */
    static List<Double> trainLosses(StudentModel model, List<Sample> train, int epochs, int batch, double lr,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> order = new ArrayList<>(train);
        List<Double> losses = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
            for (int s = 0; s + batch <= order.size(); s += batch) {
                List<Sample> b = order.subList(s, s + batch);
                losses.add(model.trainStep(b.stream().map(Sample::text).toList(), oneHot(b), lr));
            }
        }
        return losses;
    }

    private static String[] words(String s) {
        return s.trim().split("\\s+");
    }
}
