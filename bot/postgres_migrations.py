"""The PostgreSQL schema, as ordered migrations (append only; never edit a released one).

`schema_version` holds the version reached; `bot.postgres_store` applies what is missing at start-up
under an advisory lock, so several instances starting at once migrate once. Instants are
`timestamptz` in whole seconds, like the SQLite store's integers.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: users, the dialog state, finished assessments
    """
    CREATE TABLE users (
        user_id     BIGINT PRIMARY KEY,
        timezone    TEXT        NOT NULL DEFAULT 'UTC',
        state       TEXT        NOT NULL DEFAULT '{}',
        active      BOOLEAN     NOT NULL DEFAULT TRUE,
        created_at  TIMESTAMPTZ NOT NULL,
        updated_at  TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE assessments (
        id          BIGSERIAL PRIMARY KEY,
        user_id     BIGINT      NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        finished_at TIMESTAMPTZ NOT NULL,
        answers     TEXT        NOT NULL,
        causes      TEXT        NOT NULL,
        urgency     TEXT        NOT NULL,
        red_flags   TEXT        NOT NULL DEFAULT '[]'
    );
    CREATE INDEX assessments_by_user ON assessments(user_id, finished_at);
    """,
    # 2: reminders, the occurrences sent (the outbox: owner is the claiming process until it
    # hands the message to Telegram), and what users logged
    """
    CREATE TABLE reminders (
        user_id     BIGINT      NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT        NOT NULL,
        schedule    TEXT        NOT NULL,
        next_due    TIMESTAMPTZ,
        created_at  TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, kind)
    );
    CREATE INDEX reminders_due ON reminders(next_due) WHERE next_due IS NOT NULL;
    CREATE TABLE reminders_sent (
        user_id     BIGINT      NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT        NOT NULL,
        due         TIMESTAMPTZ NOT NULL,
        claimed_at  TIMESTAMPTZ NOT NULL,
        owner       TEXT,
        PRIMARY KEY (user_id, kind, due)
    );
    CREATE INDEX reminders_sent_by_due ON reminders_sent(due);
    CREATE INDEX reminders_sent_owned ON reminders_sent(owner) WHERE owner IS NOT NULL;
    CREATE TABLE events (
        id          BIGSERIAL PRIMARY KEY,
        user_id     BIGINT      NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        kind        TEXT        NOT NULL,
        at          TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX events_by_user ON events(user_id, at);
    """,
    # 3: the twitch diary: one row per user and local day (/log, /stats, /report)
    """
    CREATE TABLE diary (
        user_id     BIGINT      NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        day         DATE        NOT NULL,
        level       TEXT,
        caffeine_mg INTEGER,
        sleep_hours DOUBLE PRECISION,
        stress      TEXT,
        exercise    TEXT,
        updated_at  TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, day)
    );
    """,
    # 4: messages the bot could not place (dialogs/misses.py), kept 30 days at most
    """
    CREATE TABLE misses (
        id          BIGSERIAL   PRIMARY KEY,
        user_id     BIGINT      NOT NULL,
        question    TEXT        NOT NULL,
        text        TEXT        NOT NULL,
        at          TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX misses_by_at ON misses(at);
    CREATE INDEX misses_by_user ON misses(user_id);
    """,
    # 5: live instances (a heartbeat each: the send rate is shared among them) and the
    # messages owed to users, each row owned by the instance that owes it
    """
    CREATE TABLE instances (
        id          TEXT        PRIMARY KEY,
        seen        TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE owed (
        id          BIGSERIAL   PRIMARY KEY,
        user_id     BIGINT      NOT NULL,
        owner       TEXT        NOT NULL,
        payload     TEXT        NOT NULL,
        send_by     TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX owed_by_owner ON owed(owner, id);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
