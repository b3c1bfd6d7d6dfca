"""The review: queue, case and person pages, assessments, sign-off, assignment,
judgements and exports. No HTTP here: the web layer calls these with a connection."""
