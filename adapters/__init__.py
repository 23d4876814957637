"""Everything that drives the core: terminal, Telegram, Slack, the review site, the CLI."""
