#!/usr/bin/env bash
# Out-of-distribution sentences for OutOfDistributionBenchmark / CascadeScoreBenchmark: sayings, quotations, jokes and
# bits of dialogue from Debian's fortune-cookie packages (English, German, Spanish, Russian, Chinese; Portuguese,
# Italian, Polish, Czech, Esperanto and Irish for `ot`), split into sentences of 3-500 characters and written as JSONL
# {text, label, source} (label = the language's label, `ot` for the others; up to 250 sentences a language).
# Informal, short and idiomatic: the other end from the UDHR's legal prose. A check only: nothing of it is committed
# or trained on. Packages are fetched with `apt-get download` (no root needed, nothing installed).
#   usage: trainer-service/bench/fortunes-sentences.sh OUT.jsonl      (needs apt-get, dpkg-deb and python3)
set -euo pipefail
out=$(realpath -m "${1:?usage: fortunes-sentences.sh OUT.jsonl}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q fortunes fortunes-de fortunes-es fortunes-it fortunes-br fortunes-ru fortunes-zh \
    fortunes-pl fortunes-cs fortunes-ga fortunes-eo >/dev/null 2>&1 && for f in *.deb; do dpkg-deb -x "$f" x; done)
python3 - "$work/x/usr/share/games/fortunes" "$out" <<'PY'
import json, os, random, re, sys, unicodedata
from collections import Counter
root, out = sys.argv[1], sys.argv[2]
sources = {'en': ['wisdom', 'literature', 'people', 'food', 'education', 'work', 'love', 'science', 'politics',
                  'men-women', 'fortunes', 'songs-poems'],
           'pt': ['brasil'], 'zh': ['chinese'], 'de': 'de', 'es': 'es', 'it': 'it', 'ru': 'ru', 'pl': 'pl', 'cs': 'cs',
           'eo': 'eo', 'ga': 'ga'}
def files(v):
    if isinstance(v, list):
        return [os.path.join(root, f) for f in v if os.path.exists(os.path.join(root, f))]
    d = os.path.join(root, v)
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if not f.endswith(('.dat', '.u8'))]
def read(path):
    for encoding in ('utf-8', 'latin-1'):
        try:
            with open(path, encoding=encoding) as fh:
                return fh.read()
        except (UnicodeDecodeError, IsADirectoryError):
            continue
    return ''
rng = random.Random(11)
rows = []
for lang, v in sources.items():
    found = set()
    for path in files(v):
        for cookie in re.split(r'\n%\n', read(path)):
            # Attributions (-- Author) and lines of ASCII art, code or mail headers are not prose.
            lines = [l.strip() for l in cookie.split('\n') if l.strip() and not re.match(r'^(--|—)', l.strip())
                     and not re.search(r'[<>{}|\\@=_*#]', l)]
            body = re.sub(r'\s+', ' ', ' '.join(lines))
            for s in re.split(r'(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑÄÖÜА-ЯЁ¿¡"«])', body):
                s = re.sub(r'\x1b\[[0-9;]*m', '', s).strip(' "«»')
                letters = sum(ch.isalpha() for ch in s)
                if 3 <= len(s) <= 500 and letters >= max(2, 0.6 * len(s)):
                    found.add(unicodedata.normalize('NFC', s))
    picked = sorted(found)
    rng.shuffle(picked)
    label = lang if lang in ('de', 'es', 'en', 'ru', 'zh') else 'ot'
    rows += [{'text': s, 'label': label, 'source': 'fortunes-' + lang} for s in picked[:250]]
with open(out, 'w', encoding='utf8') as fh:
    fh.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in rows)
print(f'{len(rows)} sentences to {out}:', dict(sorted(Counter(r["source"] for r in rows).items())), file=sys.stderr)
PY
