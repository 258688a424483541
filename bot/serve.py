"""Starts one Rasa server with the settings of the environment: `python -m bot.serve --port 5005`.

One place turns the settings into Rasa's command line, for `make run`, the production set-up
(`deploy/production.py`) and the containers: CORS only for PK_CORS_ORIGINS, and Rasa's HTTP API
only when PK_RASA_TOKEN is set (then every API call needs that token; the chat webhook never does).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from settings import REPO_ROOT, Settings, comma_list, get_settings


def rasa_command(port: int, settings: Settings, endpoints: Path) -> list[str]:
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--port",
        str(port),
        "--model",
        str(REPO_ROOT / "models"),
        "--credentials",
        str(REPO_ROOT / "credentials.yml"),
        "--endpoints",
        str(endpoints),
    ]
    origins = comma_list(settings.cors_origins)
    if origins:
        command += ["--cors", *origins]
    if settings.rasa_token:
        command += ["--enable-api", "--auth-token", settings.rasa_token]
    return command


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--endpoints", type=Path, default=REPO_ROOT / "endpoints.yml")
    args = parser.parse_args(argv)
    command = rasa_command(args.port, get_settings(), args.endpoints)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
