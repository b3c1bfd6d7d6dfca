"""The reviewer web application (FastAPI, server-rendered pages)."""
