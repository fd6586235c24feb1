"""The SQLite schema, as ordered migrations (append only; never edit a released one).

`PRAGMA user_version` holds the version reached; `bot.sqlite_store` applies what is missing
when it opens the file. Instants are whole seconds since the epoch (UTC), JSON is TEXT.
"""

from __future__ import annotations

# Append only: each entry moves the schema one version up. Never edit a released one.
MIGRATIONS: list[str] = [
    # 1: users, the dialog state, finished assessments
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        timezone    TEXT    NOT NULL DEFAULT 'UTC',
        state       TEXT    NOT NULL DEFAULT '{}',
        active      INTEGER NOT NULL DEFAULT 1,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    CREATE TABLE assessments (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        finished_at INTEGER NOT NULL,
        answers     TEXT    NOT NULL,
        causes      TEXT    NOT NULL,
        urgency     TEXT    NOT NULL,
        red_flags   TEXT    NOT NULL DEFAULT '[]'
    );
    CREATE INDEX assessments_by_user ON assessments(user_id, finished_at);
    """,
    # 2: reminders, the occurrences sent, and what users logged (a glass of water, bedtime)
    """
    CREATE TABLE reminders (
        user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT    NOT NULL,
        schedule    TEXT    NOT NULL,
        next_due    INTEGER,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, kind)
    );
    CREATE INDEX reminders_due ON reminders(next_due) WHERE next_due IS NOT NULL;
    CREATE TABLE reminders_sent (
        user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT    NOT NULL,
        due         INTEGER NOT NULL,
        claimed_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, kind, due)
    );
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT    NOT NULL,
        at          INTEGER NOT NULL
    );
    CREATE INDEX events_by_user ON events(user_id, at);
    """,
    # 3: the sent-occurrence log is pruned by age (it only has to outlive the grace window)
    """
    CREATE INDEX reminders_sent_by_due ON reminders_sent(due);
    """,
    # 4: the outbox: an occurrence claimed by a dispatcher stays owned by that process until
    # it is handed to Telegram (owner NULL); a restart adopts what was left owned
    """
    ALTER TABLE reminders_sent ADD COLUMN owner TEXT;
    CREATE INDEX reminders_sent_owned ON reminders_sent(owner) WHERE owner IS NOT NULL;
    """,
    # 5: the twitch diary: one row per user and local day (/log, /stats, /report)
    """
    CREATE TABLE diary (
        user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        day         TEXT    NOT NULL,
        level       TEXT,
        caffeine_mg INTEGER,
        sleep_hours REAL,
        stress      TEXT,
        exercise    TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, day)
    );
    """,
    # 6: messages the bot could not place (dialogs/misses.py), kept 30 days at most
    """
    CREATE TABLE misses (
        id       INTEGER PRIMARY KEY,
        user_id  INTEGER NOT NULL,
        question TEXT    NOT NULL,
        text     TEXT    NOT NULL,
        at       INTEGER NOT NULL
    );
    CREATE INDEX misses_by_at ON misses(at);
    CREATE INDEX misses_by_user ON misses(user_id);
    """,
    # 7: messages owed to users: a send that met trouble (Bot API unreachable or failing)
    # waits here until it is sent or its time is up, across restarts too
    """
    CREATE TABLE owed (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL,
        payload     TEXT    NOT NULL,
        send_by     INTEGER NOT NULL
    );
    CREATE INDEX owed_by_user ON owed(user_id, id);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
