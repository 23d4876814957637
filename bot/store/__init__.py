"""The store: the only part of fixbot that speaks SQL (SQLAlchemy models, unit of work, views)."""
