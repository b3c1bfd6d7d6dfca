"""Initial schema: run results, accounts, review decisions and the audit log.

The append-only tables get triggers that refuse UPDATE and DELETE, on SQLite and on
PostgreSQL, so that no code path (and no careless SQL session) can rewrite history.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 04:38:37.191702
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=24), nullable=True),
        sa.Column("object_id", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_log_object_type_object_id"),
            ["object_type", "object_id"],
            unique=False,
        )

    op.create_table(
        "run_cases",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("force", sa.Text(), nullable=True),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("offence_from", sa.Date(), nullable=True),
        sa.Column("offence_to", sa.Date(), nullable=True),
        sa.Column("offence_code", sa.String(length=16), nullable=True),
        sa.Column("offence_title", sa.Text(), nullable=True),
        sa.Column("cse_flag", sa.Boolean(), nullable=True),
        sa.Column("setting", sa.String(length=40), nullable=True),
        sa.Column("outcome_code", sa.Integer(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_by", sa.String(length=16), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("in_scope_wider", sa.Boolean(), nullable=False),
        sa.Column("in_scope_narrower", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("screening_reasons", sa.Text(), nullable=True),
        sa.Column("rules_version", sa.String(length=64), nullable=True),
        sa.Column("network_id", sa.String(length=64), nullable=True),
        sa.Column("network_cases", sa.Integer(), nullable=False),
        sa.Column("queue_rank", sa.Integer(), nullable=True),
        sa.Column("priority_score", sa.Float(), nullable=True),
        sa.Column("priority_band", sa.String(length=16), nullable=True),
        sa.Column("priority_reasons", sa.Text(), nullable=True),
        sa.Column("n_victims", sa.Integer(), nullable=False),
        sa.Column("n_suspects", sa.Integer(), nullable=False),
        sa.Column("n_leads", sa.Integer(), nullable=False),
        sa.Column("n_language", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "case_id", name=op.f("pk_run_cases")),
    )
    with op.batch_alter_table("run_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_cases_run_id_in_scope_wider_queue_rank"),
            ["run_id", "in_scope_wider", "queue_rank"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_run_cases_run_id_network_id"), ["run_id", "network_id"], unique=False
        )

    op.create_table(
        "run_episodes",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("episode_id", sa.String(length=64), nullable=False),
        sa.Column("forenames", sa.Text(), nullable=True),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.String(length=16), nullable=True),
        sa.Column("care_setting", sa.Text(), nullable=True),
        sa.Column("missing_from", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("found_location", sa.Text(), nullable=True),
        sa.Column("found_with", sa.Text(), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("cluster_size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "episode_id", name=op.f("pk_run_episodes")),
    )
    with op.batch_alter_table("run_episodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_episodes_run_id_person_id"), ["run_id", "person_id"], unique=False
        )

    op.create_table(
        "run_language",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("flag_no", sa.Integer(), nullable=False),
        sa.Column("source_table", sa.String(length=40), nullable=True),
        sa.Column("note_id", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=True),
        sa.Column("suggested_wording", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "flag_no", name=op.f("pk_run_language")),
    )
    with op.batch_alter_table("run_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_language_run_id_case_id"), ["run_id", "case_id"], unique=False
        )

    op.create_table(
        "run_leads",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("source_table", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("source_field", sa.String(length=64), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "lead_id", name=op.f("pk_run_leads")),
    )
    with op.batch_alter_table("run_leads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_leads_run_id_case_id"), ["run_id", "case_id"], unique=False
        )

    op.create_table(
        "run_locations",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("mention_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "location_id", name=op.f("pk_run_locations")),
    )
    with op.batch_alter_table("run_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_locations_run_id_case_id"), ["run_id", "case_id"], unique=False
        )

    op.create_table(
        "run_network_suspects",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("network_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("n_cases", sa.Integer(), nullable=True),
        sa.Column("degree", sa.Integer(), nullable=True),
        sa.Column("betweenness", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint(
            "run_id", "network_id", "person_id", name=op.f("pk_run_network_suspects")
        ),
    )
    op.create_table(
        "run_networks",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("network_id", sa.String(length=64), nullable=False),
        sa.Column("n_cases", sa.Integer(), nullable=True),
        sa.Column("n_suspects", sa.Integer(), nullable=True),
        sa.Column("n_victims", sa.Integer(), nullable=True),
        sa.Column("linking_identifiers", sa.Text(), nullable=True),
        sa.Column("supporting_identifiers", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "network_id", name=op.f("pk_run_networks")),
    )
    op.create_table(
        "run_notes",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("note_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("author_role", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "note_id", name=op.f("pk_run_notes")),
    )
    with op.batch_alter_table("run_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_notes_run_id_case_id"), ["run_id", "case_id"], unique=False
        )

    op.create_table(
        "run_people",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("mention_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("forenames", sa.Text(), nullable=True),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("aliases", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.String(length=16), nullable=True),
        sa.Column("age_at_offence", sa.Integer(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("nominal_id", sa.String(length=64), nullable=True),
        sa.Column("relationship_to_victim", sa.String(length=32), nullable=True),
        sa.Column("in_care", sa.Boolean(), nullable=True),
        sa.Column("care_setting", sa.Text(), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("cluster_size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "mention_id", name=op.f("pk_run_people")),
    )
    with op.batch_alter_table("run_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_people_run_id_case_id"), ["run_id", "case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_run_people_run_id_person_id"), ["run_id", "person_id"], unique=False
        )

    op.create_table(
        "run_vehicles",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("vehicle_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("vrm", sa.String(length=32), nullable=True),
        sa.Column("vrm_canonical", sa.String(length=32), nullable=True),
        sa.Column("make", sa.Text(), nullable=True),
        sa.Column("model", sa.Text(), nullable=True),
        sa.Column("colour", sa.Text(), nullable=True),
        sa.Column("mention_id", sa.String(length=64), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "vehicle_id", name=op.f("pk_run_vehicles")),
    )
    with op.batch_alter_table("run_vehicles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_vehicles_run_id_case_id"), ["run_id", "case_id"], unique=False
        )

    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.String(length=40), nullable=True),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.Column("relook_version", sa.String(length=32), nullable=True),
        sa.Column("rules_version", sa.Text(), nullable=True),
        sa.Column("n_cases", sa.Integer(), nullable=False),
        sa.Column("n_in_scope", sa.Integer(), nullable=False),
        sa.Column("has_priorities", sa.Boolean(), nullable=False),
        sa.Column("has_leads", sa.Boolean(), nullable=False),
        sa.Column("has_language", sa.Boolean(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
        sa.UniqueConstraint("sequence", name=op.f("uq_runs_sequence")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.Integer(), nullable=True),
        sa.Column("last_login_at", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=True),
        sa.Column("enquiry_answer", sa.String(length=16), nullable=False),
        sa.Column("enquiry_notes", sa.Text(), nullable=False),
        sa.Column("risk_answer", sa.String(length=16), nullable=False),
        sa.Column("risk_notes", sa.Text(), nullable=False),
        sa.Column("safeguarding_answer", sa.String(length=16), nullable=False),
        sa.Column("safeguarding_notes", sa.Text(), nullable=False),
        sa.Column("justice_answer", sa.String(length=16), nullable=False),
        sa.Column("justice_notes", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_assessments_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("case_id", "version", name=op.f("uq_assessments_case_id_version")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_assignments_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_assignments_assignee_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_state",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_case_state_assignee_id_users")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_state")),
    )
    with op.batch_alter_table("case_state", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_state_assignee_id_status"), ["assignee_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_state_status"), ["status"], unique=False)

    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_a", sa.String(length=64), nullable=False),
        sa.Column("record_b", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("by_name", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_judgements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
    )
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_judgements_record_a"), ["record_a"], unique=False)
        batch_op.create_index(batch_op.f("ix_judgements_record_b"), ["record_b"], unique=False)

    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("last_seen_at", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_login_sessions")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "signoffs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_signoffs_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["users.id"], name=op.f("fk_signoffs_supervisor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signoffs")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_signoffs_assessment_id")),
    )
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signoffs_case_id"), ["case_id"], unique=False)

    _add_append_only_triggers()


APPEND_ONLY = ("audit_log", "assignments", "assessments", "signoffs", "judgements")


def _add_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION relook_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION relook_refuse_change()"
            )
            # Row triggers do not fire on TRUNCATE; a statement trigger does.
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION relook_refuse_change()"
            )
        else:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table}"
                    f" BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused');"
                    " END"
                )


def _drop_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS relook_refuse_change()")


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoffs_case_id"))

    op.drop_table("signoffs")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_user_id"))

    op.drop_table("login_sessions")
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgements_record_b"))
        batch_op.drop_index(batch_op.f("ix_judgements_record_a"))

    op.drop_table("judgements")
    with op.batch_alter_table("case_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_state_status"))
        batch_op.drop_index(batch_op.f("ix_case_state_assignee_id_status"))

    op.drop_table("case_state")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_case_id"))

    op.drop_table("assignments")
    op.drop_table("assessments")
    op.drop_table("users")
    op.drop_table("runs")
    with op.batch_alter_table("run_vehicles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_vehicles_run_id_case_id"))

    op.drop_table("run_vehicles")
    with op.batch_alter_table("run_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_people_run_id_person_id"))
        batch_op.drop_index(batch_op.f("ix_run_people_run_id_case_id"))

    op.drop_table("run_people")
    with op.batch_alter_table("run_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_notes_run_id_case_id"))

    op.drop_table("run_notes")
    op.drop_table("run_networks")
    op.drop_table("run_network_suspects")
    with op.batch_alter_table("run_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_locations_run_id_case_id"))

    op.drop_table("run_locations")
    with op.batch_alter_table("run_leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_leads_run_id_case_id"))

    op.drop_table("run_leads")
    with op.batch_alter_table("run_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_language_run_id_case_id"))

    op.drop_table("run_language")
    with op.batch_alter_table("run_episodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_episodes_run_id_person_id"))

    op.drop_table("run_episodes")
    with op.batch_alter_table("run_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_cases_run_id_network_id"))
        batch_op.drop_index(batch_op.f("ix_run_cases_run_id_in_scope_wider_queue_rank"))

    op.drop_table("run_cases")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_object_type_object_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
