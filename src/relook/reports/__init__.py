"""Case reports (HTML and PDF) and the referral pack for the national panel.

A report is built from the case page's own page object (`relook.review.case_page`), so it
shows exactly what the page shows, under the same visibility rule; producing one is a
disclosure, audited with its reason by the caller (`relook.reports.disclosure`).
"""
