"""Accounts, passwords, sessions, CSRF, the permission policy and the audit chain."""
