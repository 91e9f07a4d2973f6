#!/usr/bin/env python3
"""Writes two Exportify-style CSV playlists of N songs each for benchmarks.

About 70% of the songs are on both sides, some rendered differently on the
right (remaster suffixes, feat. moved to the artist field, case, accents
dropped), the rest only on one side. Deterministic for a given N.
"""
import csv, random, sys, unicodedata

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
left_path, right_path = sys.argv[2], sys.argv[3]
# "unicode" (default): about 60% of titles and artists carry accents or
# other scripts; "western": about 10%, closer to a typical Western library.
mix = sys.argv[4] if len(sys.argv) > 4 else "unicode"
rng = random.Random(42)
ascii_words = ("love night heart fire dream light rain summer blue gold river wild song road home "
               "time world dance ghost city star moon ocean storm silver echo shadow paper glass").split()
other_words = "Beyoncé Björk Sigur Rós café déjà vu niño São Zürich 夜 愛 사랑 любовь".split()
words = ascii_words + (other_words if mix == "unicode" else other_words[:3])
artists = [" ".join(rng.choice(words).title() for _ in range(rng.randint(1, 3))) for _ in range(n // 8)]

def song(i):
    title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).title() + f" {i}"
    return {"Track URI": f"spotify:track:{i:022d}", "Track Name": title,
            "Artist Name(s)": rng.choice(artists), "Album Name": rng.choice(words).title(),
            "Duration (ms)": str(rng.randint(120_000, 400_000)), "ISRC": ""}

def variant(s):
    s = dict(s)
    r = rng.random()
    if r < 0.15:
        s["Track Name"] += " - 2011 Remaster"
    elif r < 0.25:
        s["Track Name"] = s["Track Name"].lower()
    elif r < 0.35:
        s["Artist Name(s)"] = unicodedata.normalize("NFKD", s["Artist Name(s)"]).encode("ascii", "ignore").decode() or s["Artist Name(s)"]
    s["Duration (ms)"] = str(int(s["Duration (ms)"]) + rng.randint(-1500, 1500))
    return s

shared = int(n * 0.7)
common = [song(i) for i in range(shared)]
left = common + [song(n + i) for i in range(n - shared)]
right = [variant(s) for s in common] + [song(2 * n + i) for i in range(n - shared)]
rng.shuffle(left)
rng.shuffle(right)
for path, rows in ((left_path, left), (right_path, right)):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
