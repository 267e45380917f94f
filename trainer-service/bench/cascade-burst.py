#!/usr/bin/env python3
"""The cascade under concurrent batch traffic: what `./distillery eval --cascade` measures one text at a time, sent
as /v1/classify/batch requests from many clients at once. Asks the teacher (POST /v1/label, nothing published) for
each text's label, then sends the texts to the student in batches through the cascade and prints the served
agreement, who answered, and how many answers fell back to the student because the teacher was unavailable (busy,
slow or down). A check only, not a test.

  usage: trainer-service/bench/cascade-burst.py --student URL --teacher URL FILE [--batch 32] [--clients 16]
  FILE: one text per line, or JSONL with "text" (the sets of the *-sentences.sh scripts)
"""
import argparse
import collections
import concurrent.futures
import json
import urllib.request


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def texts_of(path):
    """As `./distillery eval` reads FILE: JSON Lines when the first non-blank line opens an object, else plain lines."""
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        return [json.loads(line)["text"] for line in lines]
    return lines


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--student", required=True)
    args.add_argument("--teacher", required=True)
    args.add_argument("--batch", type=int, default=32)
    args.add_argument("--clients", type=int, default=16)
    args.add_argument("file")
    a = args.parse_args()
    texts = texts_of(a.file)
    with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
        teacher = list(pool.map(lambda t: post(a.teacher.rstrip("/") + "/v1/label", {"text": t})["label"], texts))
        batches = [range(i, min(i + a.batch, len(texts))) for i in range(0, len(texts), a.batch)]
        served = [None] * len(texts)
        send = lambda idx: (idx, post(a.student.rstrip("/") + "/v1/classify/batch",
                                      {"texts": [texts[i] for i in idx], "policy": "cascade"})["results"])
        for idx, results in pool.map(send, batches):
            for i, result in zip(idx, results):
                served[i] = result
    agree = sum(s["label"] == t for s, t in zip(served, teacher))
    by = collections.Counter(s.get("answeredBy") for s in served)
    fallback = [i for i, s in enumerate(served) if s.get("deferred") == "teacher-unavailable"]
    print(f"texts {len(texts)} in batches of {a.batch} from {a.clients} clients at once")
    print(f"served agreement with the teacher {agree / len(texts):.4f}; answered by {dict(by)}")
    print(f"teacher unavailable, the student's own answer served: {len(fallback)}"
          f" (agreeing {sum(served[i]['label'] == teacher[i] for i in fallback)})")


if __name__ == "__main__":
    main()
