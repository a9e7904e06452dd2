"""The schema as a list of migrations; ``PRAGMA user_version`` is the number applied.

Append new migrations at the end; never edit one that has shipped.

The migrations are SQL scripts, not sqlite-utils calls: the schema rests on triggers (the append-only
progress history), CHECK constraints, composite and partial indexes, WITHOUT ROWID tables and ``ALTER TABLE
… ADD COLUMN`` with defaults, which SQL states exactly; and the open-time shape check (:mod:`db.verify`)
compares a file's schema text with the text these scripts produce.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: plans, offices, progress with full history, report texts and archive, settings.
    """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        year INTEGER NOT NULL,
        notice_title TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        issued TEXT,
        deadline TEXT,
        recipient TEXT NOT NULL DEFAULT '',
        report_items TEXT NOT NULL DEFAULT '[]',
        source_name TEXT NOT NULL DEFAULT '',
        source_text TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL,
        UNIQUE (title, year)
    );
    CREATE TABLE sections (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (plan_id, idx)
    );
    CREATE TABLE subsections (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        section_idx INTEGER NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (plan_id, idx)
    );
    CREATE TABLE tasks (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        section_idx INTEGER NOT NULL,
        subsection_idx INTEGER,
        text TEXT NOT NULL,
        units_raw TEXT NOT NULL DEFAULT '',
        lead_units TEXT NOT NULL DEFAULT '[]',
        responsible_units TEXT NOT NULL DEFAULT '[]',
        cooperating_units TEXT NOT NULL DEFAULT '[]',
        aliases TEXT NOT NULL DEFAULT '[]',
        and_others INTEGER NOT NULL DEFAULT 0,
        units_inherited INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (plan_id, number)
    );
    CREATE TABLE offices (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('town', 'department')),
        builtin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE overrides (
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL REFERENCES offices(name),
        task INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('lead', 'responsible', 'cooperating', 'related', 'none')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, office, task),
        FOREIGN KEY (plan_id, task) REFERENCES tasks(plan_id, number) ON DELETE CASCADE
    );
    CREATE TABLE progress (
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL REFERENCES offices(name),
        task INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'not_started'
            CHECK (status IN ('not_started', 'in_progress', 'done', 'ongoing', 'not_applicable')),
        percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
        owner TEXT NOT NULL DEFAULT '',
        due TEXT,
        steps TEXT NOT NULL DEFAULT '',
        achievements TEXT NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '',
        next_steps TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (plan_id, office, task),
        FOREIGN KEY (plan_id, task) REFERENCES tasks(plan_id, number) ON DELETE CASCADE
    );
    -- Every saved version, the current one included; rows are only ever added.
    CREATE TABLE progress_history (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL,
        task INTEGER NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        percent INTEGER NOT NULL,
        owner TEXT NOT NULL,
        due TEXT,
        steps TEXT NOT NULL,
        achievements TEXT NOT NULL,
        problems TEXT NOT NULL,
        next_steps TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX progress_history_entry ON progress_history (plan_id, office, task, id);
    CREATE TRIGGER progress_history_insert AFTER INSERT ON progress BEGIN
        INSERT INTO progress_history (plan_id, office, task, version, status, percent, owner, due, steps,
            achievements, problems, next_steps, saved_at)
        VALUES (NEW.plan_id, NEW.office, NEW.task, NEW.version, NEW.status, NEW.percent, NEW.owner, NEW.due,
            NEW.steps, NEW.achievements, NEW.problems, NEW.next_steps, NEW.updated_at);
    END;
    CREATE TRIGGER progress_history_update AFTER UPDATE ON progress BEGIN
        INSERT INTO progress_history (plan_id, office, task, version, status, percent, owner, due, steps,
            achievements, problems, next_steps, saved_at)
        VALUES (NEW.plan_id, NEW.office, NEW.task, NEW.version, NEW.status, NEW.percent, NEW.owner, NEW.due,
            NEW.steps, NEW.achievements, NEW.problems, NEW.next_steps, NEW.updated_at);
    END;
    CREATE TRIGGER progress_history_no_delete BEFORE DELETE ON progress_history BEGIN
        SELECT RAISE(ABORT, 'progress history is append-only');
    END;
    CREATE TABLE report_texts (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        office TEXT NOT NULL REFERENCES offices(name),
        opening TEXT NOT NULL DEFAULT '',
        closing TEXT NOT NULL DEFAULT '',
        contact_name TEXT NOT NULL DEFAULT '',
        contact_phone TEXT NOT NULL DEFAULT '',
        signer TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, office)
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        office TEXT NOT NULL REFERENCES offices(name),
        created_at TEXT NOT NULL,
        report_date TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        pdf BLOB NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: report-level texts (each part's overview, round, seal), archive rows with format and round,
    # one archive row per content: identical archived bytes (the CLI used to store duplicates) collapse.
    """
    ALTER TABLE report_texts ADD COLUMN achievements_intro TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_texts ADD COLUMN problems_intro TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_texts ADD COLUMN next_steps_intro TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_texts ADD COLUMN round_label TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_texts ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));
    ALTER TABLE reports ADD COLUMN format TEXT NOT NULL DEFAULT 'pdf';
    ALTER TABLE reports ADD COLUMN round_label TEXT NOT NULL DEFAULT '';
    DELETE FROM reports WHERE id NOT IN (SELECT MIN(id) FROM reports GROUP BY plan_id, office, sha256);
    CREATE UNIQUE INDEX reports_one_per_content ON reports (plan_id, office, sha256);
    """,
    # 3: 佐证材料 (evidence) per (plan, office, task). Files live in <data>/evidence/<sha[:2]>/<sha>; a row
    # keeps the name as given, the hash and the size. A link row keeps its url and, when a screenshot was
    # given, the screenshot's hash. removed_at set = in the bin (undo possible until purged).
    # seq is the item's number within its task (12-<seq>): taken from evidence_numbers, never reused.
    """
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL REFERENCES offices(name),
        task INTEGER NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
        title TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
        note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        seen_date TEXT CHECK (seen_date IS NULL OR seen_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        file_name TEXT NOT NULL DEFAULT '',
        sha256 TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')),
        size INTEGER CHECK (size IS NULL OR size > 0),
        url TEXT CHECK (url IS NULL OR url LIKE 'http://_%' OR url LIKE 'https://_%'),
        added_at TEXT NOT NULL,
        removed_at TEXT,
        CHECK ((sha256 IS NULL) = (size IS NULL)),
        CHECK ((sha256 IS NULL) = (file_name = '')),
        CHECK ((kind = 'file' AND sha256 IS NOT NULL AND url IS NULL) OR (kind = 'link' AND url IS NOT NULL)),
        UNIQUE (plan_id, office, task, seq),
        FOREIGN KEY (plan_id, task) REFERENCES tasks(plan_id, number) ON DELETE CASCADE
    );
    CREATE INDEX evidence_by_office ON evidence (plan_id, office, task, seq);
    CREATE INDEX evidence_by_sha ON evidence (sha256);
    CREATE TABLE evidence_numbers (
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL,
        task INTEGER NOT NULL,
        last_seq INTEGER NOT NULL CHECK (last_seq >= 1),
        PRIMARY KEY (plan_id, office, task),
        FOREIGN KEY (plan_id, task) REFERENCES tasks(plan_id, number) ON DELETE CASCADE
    );
    """,
    # 4 (county side): submission packages received from other offices, kept apart from the collector's own
    # progress. One row per package; superseded_by points at the package that replaced it as the office's
    # current one (history stays). Progress and the evidence listing (never the files) per package.
    """
    CREATE TABLE received_packages (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        office TEXT NOT NULL REFERENCES offices(name),
        report_date TEXT NOT NULL CHECK (report_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        created_at TEXT NOT NULL,
        app_version TEXT NOT NULL DEFAULT '',
        file_name TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
        file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
        file_size INTEGER NOT NULL CHECK (file_size > 0),
        imported_at TEXT NOT NULL,
        superseded_by INTEGER REFERENCES received_packages(id),
        UNIQUE (plan_id, manifest_sha256),
        UNIQUE (plan_id, office, report_date)
    );
    CREATE INDEX received_packages_current ON received_packages (plan_id, office) WHERE superseded_by IS NULL;
    CREATE TABLE received_progress (
        package_id INTEGER NOT NULL REFERENCES received_packages(id) ON DELETE CASCADE,
        task INTEGER NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('not_started', 'in_progress', 'done', 'ongoing', 'not_applicable')),
        percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
        owner TEXT NOT NULL DEFAULT '',
        due TEXT,
        steps TEXT NOT NULL DEFAULT '',
        achievements TEXT NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '',
        next_steps TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (package_id, task)
    ) WITHOUT ROWID;
    CREATE TABLE received_evidence (
        package_id INTEGER NOT NULL REFERENCES received_packages(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        task INTEGER NOT NULL,
        number TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('evidence', 'evidence_link')),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        seen_date TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (package_id, path)
    ) WITHOUT ROWID;
    CREATE INDEX received_evidence_by_task ON received_evidence (package_id, task);
    """,
    # 5: 二、主要成效做法 per plan section (a JSON list of texts, index =
    # the section's index in the plan) and the 简要/详细 choice.
    """
    ALTER TABLE report_texts ADD COLUMN section_summaries TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE report_texts ADD COLUMN detailed INTEGER NOT NULL DEFAULT 0 CHECK (detailed IN (0, 1));
    """,
    # 6: who wrote a saved version when it was not the clerk (a 股室's answer sheet taken in: 党政办（经办人 张三）),
    # one row per such progress_history row; and flags on an entry that are not a status (slow: 进展缓慢, as the
    # county 台账 words it). Both kept apart from progress so its triggers and the package format stay as they are.
    """
    CREATE TABLE history_authors (
        history_id INTEGER PRIMARY KEY REFERENCES progress_history(id),
        author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 200)
    );
    CREATE TABLE progress_flags (
        plan_id INTEGER NOT NULL,
        office TEXT NOT NULL REFERENCES offices(name),
        task INTEGER NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('slow')),
        set_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, office, task, flag),
        FOREIGN KEY (plan_id, task) REFERENCES tasks(plan_id, number) ON DELETE CASCADE
    );
    """,
    # 7 (issue 19): the plan's deadline per task (its words, and the date read from them when one can be);
    # the clerk's corrections made in the import review, keyed by the imported file's SHA-256, offered
    # again when the same file is imported again.
    """
    ALTER TABLE tasks ADD COLUMN due TEXT CHECK (due IS NULL OR due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
    ALTER TABLE tasks ADD COLUMN due_text TEXT NOT NULL DEFAULT '';
    CREATE TABLE plan_corrections (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        file_name TEXT NOT NULL DEFAULT '',
        corrections TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    # 8: the flags a received package's entries carry (slow: 进展缓慢, the progress file's optional "slow": true),
    # beside received_progress as progress_flags is beside progress; gone with the package.
    """
    CREATE TABLE received_flags (
        package_id INTEGER NOT NULL REFERENCES received_packages(id) ON DELETE CASCADE,
        task INTEGER NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('slow')),
        PRIMARY KEY (package_id, task, flag)
    ) WITHOUT ROWID;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
