"""``fixbot review``: serve the support staff's review site with uvicorn."""

from __future__ import annotations

import argparse
import dataclasses

from adapters.cli.commands import CommandError
from bot.settings import Settings


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the support staff's review site (transcripts, handoffs, insights). "
        "Signs sessions with FIXBOT_REVIEW_SECRET_KEY, or a key generated into the user "
        "data directory (mode 0600) when it is unset; make logins with `fixbot staff add NAME`."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    parser.add_argument(
        "--secure-cookies",
        action="store_true",
        help="send the session cookie over HTTPS only (use behind TLS)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.review_secret_key is None:
        from adapters.cli.secret_key import default_key_file, load_or_create_key

        path = default_key_file()
        try:
            key = load_or_create_key(path)
        except OSError as error:
            raise CommandError(
                f"cannot keep a review key in {path} ({error.strerror}): "
                "set FIXBOT_REVIEW_SECRET_KEY"
            ) from None
        settings = dataclasses.replace(settings, review_secret_key=key)
    # Imported here so other commands never load the web stack.
    import uvicorn

    from adapters.review_site import ReviewConfig, build_app
    from bot.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
    from bot.store.database import open_database
    from bot.store.errors import DatabaseError
    from bot.store.review.logins import LoginPolicy
    from bot.store.review.store import ReviewStore

    try:
        knowledge = load_knowledge(settings.knowledge_dir or default_knowledge_dir())
    except KnowledgeError as error:
        raise CommandError(str(error)) from None
    try:
        engine = open_database(settings)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    try:
        store = ReviewStore(engine, policy=LoginPolicy.from_settings(settings.security))
        app = build_app(
            settings,
            store,
            knowledge,
            ReviewConfig(https_only=args.secure_cookies),
        )
        if not store.list_staff():
            print(
                "fixbot review: no staff account yet; add one with `fixbot staff add NAME`",
                flush=True,
            )
        print(f"fixbot review: serving on http://{args.host}:{args.port}/", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=True)
    finally:
        engine.dispose()
    return 0
