"""fixbot's platform-neutral core: knowledge, matching, dialog, store and the service."""
