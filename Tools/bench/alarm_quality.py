#!/usr/bin/env python3
"""Runs every labelled session (Fixtures/sessions/*.json) through the real live path:
`rollsense simulate --scenario FILE` on a pty feeding `rollsense live --json`, each in a fresh
config and data directory. Checks each session's alerts against its labels and prints the
alarm-quality table (docs/SAFETY.md, "Alarm quality").

An alert is an event of level caution or stop that starts (or stands alone). A session fails on
a missing alert, an extra one (including one outside its window: late), a must-not reason, or a
chattering alert (one reason starting 3 or more times within 60 s, ISA-18.2).

usage: alarm_quality.py ROLLSENSE_BINARY [SESSION.json ...] [--check] [--audio-dir DIR]
--check exits 1 when any session fails (the test uses it); without it the table is printed and
the exit status is 0 unless a session could not be run.
--audio-dir DIR: the live session also speaks its cues to DIR/NAME.wav (`--voice --audio-out`,
no sound device), records DIR/NAME.rscap and keeps its JSON lines in DIR/NAME.jsonl; then
`rollsense replay` renders the pressure tone alone to DIR/NAME-tone.wav with its JSON lines in
DIR/NAME-tone.jsonl (issue 14: cue timing and the tone, analysed by VoiceCorpusTests).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHATTER_STARTS, CHATTER_WINDOW_S = 3, 60.0
# Seconds allowed from the start of an over-limit load to its stop alert beyond the on-delay.
STOP_LATENCY_ALLOWANCE_S = 1.0


def run_session(binary, path, audio_dir=None):
    with open(path) as f:
        label = json.load(f)
    work = tempfile.mkdtemp(prefix="rollsense-alarm-")
    try:
        env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
                   XDG_DATA_HOME=os.path.join(work, "data"), XDG_STATE_HOME=os.path.join(work, "state"))
        link = os.path.join(work, "board")
        sim = subprocess.Popen([binary, "simulate", "--scenario", path, "--speed", str(label.get("speed", "max")),
                                "--link", link], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            first = sim.stdout.readline()
            if not first:
                raise RuntimeError(f"simulate gave no pty: {sim.stderr.read().decode()}")
            # Ends just before the scenario does, so the session never waits on a silent board. A
            # text sketch's samples are timed on arrival: a slow start compresses them, so its
            # session ends well before.
            duration = label["seconds"] - (3.0 if label.get("textMode") else 0.1)
            audio = []
            if audio_dir:
                name = os.path.join(audio_dir, os.path.basename(path)[:-5])
                for old in (name + ".wav", name + ".rscap"):
                    if os.path.exists(old):
                        os.remove(old)
                # No sound device: the cues are rendered to the file only.
                env["ALSA_CONFIG_PATH"] = "/dev/null"
                audio = ["--voice", "--audio-out", name + ".wav", "--record", name + ".rscap"]
            live = subprocess.run([binary, "live", "--json", "--device", link, "--duration", f"{duration:.3f}",
                                   "--profile", label["profile"], "--body-weight", str(label["bodyMassKilograms"])] + audio,
                                  capture_output=True, text=True, env=env, timeout=label["seconds"] * 3 + 60)
        finally:
            sim.terminate()
            try:
                sim.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sim.kill()
                sim.wait()
        if live.returncode != 0:
            raise RuntimeError(f"live exited {live.returncode}: {live.stderr.strip()}")
        if audio_dir:
            with open(name + ".jsonl", "w") as f:
                f.write(live.stdout)
            for old in (name + "-tone.wav",):
                if os.path.exists(old):
                    os.remove(old)
            # The tone alone (speech would hide it), from the recording: replay gives the live events.
            tone = subprocess.run([binary, "replay", name + ".rscap", "--json", "--no-voice", "--tone", "--audio-out", name + "-tone.wav",
                                   "--profile", label["profile"], "--body-weight", str(label["bodyMassKilograms"])],
                                  capture_output=True, text=True, env=env, timeout=label["seconds"] + 60)
            if tone.returncode != 0:
                raise RuntimeError(f"replay exited {tone.returncode}: {tone.stderr.strip()}")
            with open(name + "-tone.jsonl", "w") as f:
                f.write(tone.stdout)
        events, summary = [], {}
        for line in live.stdout.splitlines():
            obj = json.loads(line)
            if obj.get("type") == "event":
                events.append(obj)
            elif obj.get("type") == "summary":
                summary = obj
        return label, events, summary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def judge(label, events, summary):
    """Returns (problems, alerts, chattering, latencies, missed_stop)."""
    problems = []
    # Still holds counted in the summary (a ball's trigger-point presses of about 5 s).
    if "holds" in label and summary.get("holds") != label["holds"]:
        problems.append(f"holds {summary.get('holds')} counted, {label['holds']} expected")
    # Pain marks from the board's button (painButtonSeconds): one event each.
    marks = sum(e["reason"] == "painMark" for e in events)
    if marks != label.get("painMarks", 0):
        problems.append(f"{marks} pain marks, {label.get('painMarks', 0)} expected")
    alerts = [e for e in events if e["level"] in ("caution", "stop") and e["phase"] in ("start", "instant")]
    unmatched = list(alerts)
    latencies, missed_stop = [], 0
    for want in label["expect"]:
        same = [a for a in alerts if a["reason"] == want["reason"] and a["level"] == want["level"]]
        inside = [a for a in same if want["from"] <= a["t"] <= want["to"]]
        count = want.get("count", 1)
        for a in inside[:count]:
            unmatched.remove(a)
        if len(inside) < count:
            late = [a["t"] for a in same if a["t"] > want["to"]]
            what = f"late (at {late[0]:.2f} s)" if late else "missing"
            problems.append(f"{want['reason']} {want['level']} in {want['from']}-{want['to']} s {what}")
            if want["level"] == "stop":
                missed_stop += 1
        elif "overLimitAt" in want:
            latencies.append(inside[0]["t"] - want["overLimitAt"])
    for a in unmatched:
        problems.append(f"extra {a['reason']} {a['level']} at {a['t']:.2f} s ({a['message']})")
    for e in events:
        if e["reason"] in label.get("mustNot", []) and e["phase"] in ("start", "instant"):
            if not any(w["reason"] == e["reason"] for w in label["expect"]):
                if e not in unmatched:
                    problems.append(f"must-not {e['reason']} at {e['t']:.2f} s")
    chattering = 0
    by_reason = {}
    for a in alerts:
        by_reason.setdefault(a["reason"], []).append(a["t"])
    for reason, times in by_reason.items():
        if any(times[i + CHATTER_STARTS - 1] - times[i] < CHATTER_WINDOW_S for i in range(len(times) - CHATTER_STARTS + 1)):
            chattering += 1
            problems.append(f"{reason} chatters: {len(times)} starts")
    return problems, alerts, chattering, latencies, missed_stop


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv
    audio_dir = None
    if "--audio-dir" in args:
        i = args.index("--audio-dir")
        if i + 1 >= len(args):
            print("--audio-dir needs a folder", file=sys.stderr)
            return 64
        audio_dir = args[i + 1]
        del args[i:i + 2]
        os.makedirs(audio_dir, exist_ok=True)
    if not args:
        print(__doc__, file=sys.stderr)
        return 64
    binary, paths = args[0], args[1:] or sorted(glob.glob(os.path.join(ROOT, "Fixtures/sessions/*.json")))
    failed = 0
    ordinary_s = ordinary_stop = ordinary_caution = 0.0
    chattering = missed = dangerous = 0
    latencies = []
    print(f"{'session':34} {'s':>6} {'alerts':>6}  result")
    for path in paths:
        name = os.path.basename(path)[:-5]
        try:
            label, events, summary = run_session(binary, path, audio_dir)
        except Exception as error:  # a session that cannot run is a failure, never a pass
            print(f"{name:34} {'':>6} {'':>6}  ERROR {error}")
            failed += 1
            continue
        problems, alerts, chat, lat, miss = judge(label, events, summary)
        if not label["expect"]:
            ordinary_s += label["seconds"]
            ordinary_stop += sum(a["level"] == "stop" for a in alerts)
            ordinary_caution += sum(a["level"] == "caution" for a in alerts)
        dangerous += sum(w["level"] == "stop" for w in label["expect"])
        chattering += chat
        missed += miss
        latencies += lat
        holds = summary.get("holds")
        extra = f" holds={holds}" if holds else ""
        print(f"{name:34} {label['seconds']:6.1f} {len(alerts):6d}  {'ok' if not problems else 'FAIL'}{extra}")
        for p in problems[:6]:
            print(f"{'':36}- {p}")
        if len(problems) > 6:
            print(f"{'':36}- ... and {len(problems) - 6} more")
        failed += bool(problems)
    hours = ordinary_s / 3600 or float("nan")
    worst = max(latencies) if latencies else float("nan")
    print()
    print("| figure | value | goal |")
    print("|---|---|---|")
    print(f"| ordinary rolling covered | {ordinary_s / 60:.1f} min | - |")
    print(f"| stop alerts per hour of ordinary rolling | {ordinary_stop / hours:.1f} | 0 |")
    print(f"| caution alerts per hour of ordinary rolling | {ordinary_caution / hours:.1f} | <= 6 (1 per 10 min) |")
    print(f"| missed dangerous episodes | {missed} of {dangerous} | 0 |")
    print(f"| over-limit load to stop alert, worst | {worst:.2f} s | <= on-delay 0.5 s + 1.0 s |")
    print(f"| chattering alerts (3+ starts in 60 s) | {chattering} | 0 |")
    print(f"| sessions failing their labels | {failed} of {len(paths)} | 0 |")
    return 1 if (check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
