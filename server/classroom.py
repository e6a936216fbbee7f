"""Classroom mode: one laptop serves a class. `python -m server --host 0.0.0.0 --classroom` prints a
link with an access token (guard.py refuses everything without it), each client address may
hold a few sessions, and the teacher's page at /classroom shows the live sessions and the load of
every worker. The page is static/classroom.html, filled in here, in English or 中文."""
from __future__ import annotations

import html
import secrets
from pathlib import Path

MAX_SESSIONS_PER_CLIENT = 4
TOKEN_ENV = "LEARNSCAPE_TOKEN"

STRINGS = {
    "en": {"title": "Learnscape classroom", "sessions": "Live sessions", "clients": "Learners' machines",
           "workers": "Worker processes", "worker": "Worker", "thread": "Training thread busy",
           "fps": "Frames per second", "per_client": "Sessions allowed per machine",
           "refresh": "This page refreshes every 2 seconds.", "other": "中文"},
    "zh": {"title": "Learnscape 课堂", "sessions": "在线会话", "clients": "学生的电脑",
           "workers": "工作进程", "worker": "进程", "thread": "训练线程占用",
           "fps": "每秒帧数", "per_client": "每台电脑允许的会话数",
           "refresh": "本页每 2 秒刷新一次。", "other": "English"},
}


def new_token() -> str:
    return secrets.token_urlsafe(18)


def language(query_lang: str | None, accept: str | None) -> str:
    if query_lang in STRINGS:
        return query_lang
    return "zh" if (accept or "").lower().startswith("zh") else "en"


def render(template: Path, workers: list[dict], lang: str, per_client: int) -> str:
    """The teacher's page: totals, then one row per worker process."""
    s = STRINGS[lang]
    sessions = sum(w["sessions"] for w in workers)
    clients = len({c for w in workers for c in w.get("clients", {})})
    rows = "".join(
        f"<tr><td>{w['pid']}</td><td data-testid='worker-sessions'>{w['sessions']}</td>"
        f"<td>{round(100 * w['training_thread'])}%</td><td>{w['frames_per_second']}</td></tr>"
        for w in sorted(workers, key=lambda w: w["pid"]))
    values = {**s, "lang": lang, "other_lang": "en" if lang == "zh" else "zh", "rows": rows,
              "total_sessions": sessions, "total_clients": clients, "worker_count": len(workers),
              "max_per_client": per_client}
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value if key == "rows" else html.escape(str(value)))
    return text
