"""The store's tables (SQLAlchemy Core), in three groups.

* Run results, keyed by `run_id`: a copy of what a completed `relook run` found that the
  review needs (cases with their screening and priority, people, notes, leads, …). A new
  run adds a new set; the queue shows the latest complete run.
* Human decisions, keyed by case or record ids so that they survive new runs:
  assignments, assessments, sign-offs and judgements are append-only (database triggers
  refuse UPDATE and DELETE, see the first migration); `case_state` is a projection of
  them kept for fast queue filtering.
* Accounts and the audit log: users, login sessions, and the hash-chained audit entries.

Timestamps that take part in hashes or comparisons are stored as ISO 8601 UTC text (audit)
or integer epoch seconds (sessions, lock-outs), which round-trip identically on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(64)
"""Case, mention, person, network and run ids are short text keys."""

# --- runs and their results -------------------------------------------------------------

runs = Table(
    "runs",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("sequence", Integer, nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("started_at", String(40)),
    Column("imported_at", String(40), nullable=False),
    Column("relook_version", String(32)),
    Column("rules_version", Text),
    Column("rules_digest", String(64)),
    Column("content_digest", String(64)),
    Column("n_cases", Integer, nullable=False),
    Column("n_in_scope", Integer, nullable=False),
    Column("has_priorities", Boolean, nullable=False),
    Column("has_leads", Boolean, nullable=False),
    Column("has_language", Boolean, nullable=False),
    Column("document", Text, nullable=False),
)

run_cases = Table(
    "run_cases",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("case_id", ID, primary_key=True),
    Column("force", Text),
    Column("area", String(120)),
    Column("reported_on", Date),
    Column("offence_from", Date),
    Column("offence_to", Date),
    Column("offence_code", String(16)),
    Column("offence_title", Text),
    Column("cse_flag", Boolean),
    Column("setting", String(40)),
    Column("outcome_code", Integer),
    Column("outcome_on", Date),
    Column("outcome_by", String(16)),
    Column("summary", Text),
    Column("in_scope_wider", Boolean, nullable=False),
    Column("in_scope_narrower", Boolean, nullable=False),
    Column("category", String(40)),
    Column("screening_reasons", Text),
    Column("rules_version", String(64)),
    Column("network_id", ID),
    Column("network_cases", Integer, nullable=False),
    Column("queue_rank", Integer),
    Column("priority_score", Float),
    Column("priority_band", String(16)),
    Column("priority_reasons", Text),
    Column("n_victims", Integer, nullable=False),
    Column("n_suspects", Integer, nullable=False),
    Column("n_leads", Integer, nullable=False),
    Column("n_language", Integer, nullable=False),
    Index(None, "run_id", "in_scope_wider", "queue_rank", "case_id"),
    Index(None, "run_id", "in_scope_narrower", "queue_rank", "case_id"),
    Index(None, "run_id", "network_id", "case_id"),
)

run_people = Table(
    "run_people",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("mention_id", ID, primary_key=True),
    Column("case_id", ID, nullable=False),
    Column("role", String(32)),
    Column("forenames", Text),
    Column("surname", Text),
    Column("aliases", Text),
    Column("date_of_birth", String(16)),
    Column("age_at_offence", Integer),
    Column("address", Text),
    Column("postcode", String(16)),
    Column("phone", String(40)),
    Column("nominal_id", String(64)),
    Column("relationship_to_victim", String(32)),
    Column("in_care", Boolean),
    Column("care_setting", Text),
    Column("person_id", ID),
    Column("match_probability", Float),
    Column("cluster_size", Integer),
    Index(None, "run_id", "case_id"),
    Index(None, "run_id", "person_id"),
)

run_episodes = Table(
    "run_episodes",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("episode_id", ID, primary_key=True),
    Column("forenames", Text),
    Column("surname", Text),
    Column("date_of_birth", String(16)),
    Column("care_setting", Text),
    Column("missing_from", DateTime),
    Column("returned_at", DateTime),
    Column("found_location", Text),
    Column("found_with", Text),
    Column("person_id", ID),
    Column("match_probability", Float),
    Column("cluster_size", Integer),
    Index(None, "run_id", "person_id"),
)

run_vehicles = Table(
    "run_vehicles",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("vehicle_id", ID, primary_key=True),
    Column("case_id", ID, nullable=False),
    Column("vrm", String(32)),
    Column("vrm_canonical", String(32)),
    Column("make", Text),
    Column("model", Text),
    Column("colour", Text),
    Column("mention_id", ID),
    Column("context", Text),
    Index(None, "run_id", "case_id"),
)

run_locations = Table(
    "run_locations",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("location_id", ID, primary_key=True),
    Column("case_id", ID, nullable=False),
    Column("kind", String(32)),
    Column("name", Text),
    Column("address", Text),
    Column("postcode", String(16)),
    Column("mention_id", ID),
    Index(None, "run_id", "case_id"),
)

run_notes = Table(
    "run_notes",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("note_id", ID, primary_key=True),
    Column("case_id", ID, nullable=False),
    Column("recorded_on", Date),
    Column("author_role", String(64)),
    Column("text", Text),
    Index(None, "run_id", "case_id"),
)

run_networks = Table(
    "run_networks",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("network_id", ID, primary_key=True),
    Column("n_cases", Integer),
    Column("n_suspects", Integer),
    Column("n_victims", Integer),
    Column("linking_identifiers", Text),
    Column("supporting_identifiers", Text),
)

run_network_suspects = Table(
    "run_network_suspects",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("network_id", ID, primary_key=True),
    Column("person_id", ID, primary_key=True),
    Column("n_cases", Integer),
    Column("degree", Integer),
    Column("betweenness", Float),
)

run_leads = Table(
    "run_leads",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("lead_id", ID, primary_key=True),
    Column("case_id", ID, nullable=False),
    Column("kind", String(40)),
    Column("detail", Text),
    Column("evidence", Text),
    Column("source_table", String(40)),
    Column("source_id", ID),
    Column("source_field", String(64)),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Index(None, "run_id", "case_id"),
)

run_language = Table(
    "run_language",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("flag_no", Integer, primary_key=True),
    Column("source_table", String(40)),
    Column("note_id", ID),
    Column("case_id", ID, nullable=False),
    Column("phrase", Text),
    Column("suggested_wording", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Index(None, "run_id", "case_id"),
)

run_case_documents = Table(
    "run_case_documents",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("case_id", ID, primary_key=True),
    Column("document", Text, nullable=False),
)
"""Per case, everything the case page shows about it, as JSON (see case_documents.py)."""

run_network_documents = Table(
    "run_network_documents",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("network_id", ID, primary_key=True),
    Column("document", Text, nullable=False),
)
"""Per network, its cases, suspects and joining identifiers, as JSON: once per network,
read with the page of each of its cases."""

RUN_RESULT_TABLES = (
    run_cases,
    run_people,
    run_episodes,
    run_vehicles,
    run_locations,
    run_notes,
    run_networks,
    run_network_suspects,
    run_leads,
    run_language,
    run_case_documents,
    run_network_documents,
)

# --- accounts ---------------------------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", Integer),
    Column("last_login_at", Integer),
    # Set for an account whose password someone else has seen (an administrator made
    # it): until its owner sets their own, the account can do nothing else.
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
    Column("created_by", String(120)),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("client", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", Integer, nullable=False),
    Column("blocked_until", Integer),
)
"""Failed sign-ins per network address (`relook.security.accounts`)."""

login_sessions = Table(
    "login_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("last_seen_at", Integer, nullable=False),
    Column("expires_at", Integer, nullable=False),
    Index(None, "user_id"),
)

# --- human decisions (append-only) ------------------------------------------------------

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", ID, nullable=False),
    Column("assignee_id", Integer, ForeignKey("users.id")),
    Column("assigned_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("at", String(40), nullable=False),
    Index(None, "case_id"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("at", String(40), nullable=False),
    Column("run_id", ID),
    Column("enquiry_answer", String(16), nullable=False),
    Column("enquiry_notes", Text, nullable=False),
    Column("risk_answer", String(16), nullable=False),
    Column("risk_notes", Text, nullable=False),
    Column("safeguarding_answer", String(16), nullable=False),
    Column("safeguarding_notes", Text, nullable=False),
    Column("justice_answer", String(16), nullable=False),
    Column("justice_notes", Text, nullable=False),
    Column("decision", String(40), nullable=False),
    Column("rationale", Text, nullable=False),
    UniqueConstraint("case_id", "version"),
)

assessment_drafts = Table(
    "assessment_drafts",
    metadata,
    # One draft per person and case: what they have typed and not yet submitted. Never
    # shown to anyone else; removed when they submit.
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("case_id", ID, primary_key=True),
    Column("saved_at", String(40), nullable=False),
    Column("content", Text, nullable=False),
)

programme_settings = Table(
    "programme_settings",
    metadata,
    # One row: the review programme's dates and weekly target, set by a supervisor.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("start_on", String(10)),
    Column("deadline", String(10)),
    Column("weekly_target", Integer),
    Column("updated_by", String(120)),
    Column("updated_at", String(40)),
)

signoffs = Table(
    "signoffs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, unique=True),
    Column("case_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("supervisor_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("comment", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Index(None, "case_id"),
)

case_state = Table(
    "case_state",
    metadata,
    Column("case_id", ID, primary_key=True),
    Column("assignee_id", Integer, ForeignKey("users.id")),
    Column("status", String(24), nullable=False),
    Column("latest_version", Integer),
    Column("updated_at", String(40), nullable=False),
    Index(None, "assignee_id", "status"),
    Index(None, "status"),
)

judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_a", ID, nullable=False),
    Column("record_b", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("by_name", String(120), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Index(None, "record_a"),
    Index(None, "record_b"),
)

lead_actions = Table(
    "lead_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", ID, nullable=False),
    Column("lead_id", ID, nullable=False),
    Column("action", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("run_id", ID),
    Column("at", String(40), nullable=False),
    Index(None, "case_id"),
)
"""What a reviewer did with a lead: raised, not relevant (with a reason) or resulted.
The latest row for a case and lead is its state; earlier rows are its history."""

assessment_reasons = Table(
    "assessment_reasons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False),
    Column("reason", String(40), nullable=False),
    Index(None, "assessment_id"),
)
"""The structured reasons of an assessment's decision (e.g. which national criteria the
reviewer confirms), one row each, written with the version and never changed."""

victim_engagement = Table(
    "victim_engagement",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", ID, nullable=False),
    Column("victim_mention_id", ID, nullable=False),
    Column("status", String(24), nullable=False),
    Column("happened_on", String(10), nullable=False),
    Column("note", Text, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index(None, "case_id"),
)
"""Each victim's engagement with the review (contact attempted, agrees, declines, ...):
the latest row for a case and victim is their status; earlier rows are its history."""

# --- audit ------------------------------------------------------------------------------

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor_id", Integer),
    Column("actor", String(120), nullable=False),
    Column("role", String(16)),
    Column("action", String(40), nullable=False),
    Column("object_type", String(24)),
    Column("object_id", String(120)),
    Column("reason", Text),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index(None, "action"),
    Index(None, "object_type", "object_id"),
    Index(None, "actor"),
    Index(None, "at"),
)

audit_seal = Table(
    "audit_seal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)
"""One row (`id` 1): the audit trail's newest entry, sealed with the audit key held
outside the store (`relook.security.audit`). Rewritten with every entry."""

APPEND_ONLY_TABLES = (
    "audit_log", "assignments", "assessments", "signoffs", "judgements", "lead_actions",
    "assessment_reasons", "victim_engagement",
)  # fmt: skip
"""Tables whose rows are never changed or removed; the migration adds triggers for it."""
