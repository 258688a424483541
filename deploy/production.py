"""`make production`: the production set-up on this machine.

nginx (Debian's) in front of PK_RASA_INSTANCES Rasa servers and PK_ACTION_INSTANCES action
servers, the API beside them; conversations in the SQL tracker store, locks and rate limits in
Redis, the catalogue in PostgreSQL. supervisord (a well-kept process manager) starts them and
restarts any that dies; `supervisorctl -c var/production/supervisord.conf status` shows them.

Only nginx listens beyond this machine's loopback; the action servers answer only on
127.0.0.1, behind nginx, where only the Rasa servers call them. Every process runs with
PK_ENVIRONMENT=production, so none starts without PK_SECRET_KEY.

The action servers (`actions.server`) answer only calls that carry PK_ACTION_TOKEN, which the
Rasa servers send (deploy/endpoints.yml), so another local user's process cannot run an action.
Without PK_ACTION_TOKEN a random one is made for this start: supervisord hands it to every
process it starts, and it is never written into a file.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pydantic
import sqlalchemy as sa

from bot.channels import max_body_bytes
from bot.limits import Rate
from settings import REPO_ROOT, Settings, get_settings

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Ports:
    public: int
    rasa: tuple[int, ...]
    actions: tuple[int, ...]
    actions_balancer: int
    api: int

    @classmethod
    def plan(cls, settings: Settings, base: int) -> Ports:
        rasa = tuple(range(base, base + settings.rasa_instances))
        actions = tuple(range(rasa[-1] + 1, rasa[-1] + 1 + settings.action_instances))
        return cls(settings.public_port, rasa, actions, actions[-1] + 1, actions[-1] + 2)


def render_nginx(settings: Settings, ports: Ports, directory: Path, listen_host: str) -> str:
    per_client = Rate.parse(settings.rate_limit_per_client)
    unit = "r/s" if per_client.seconds == 1 else "r/m"
    per_minute = per_client.count * 60 // per_client.seconds if unit == "r/m" else per_client.count
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports.rasa
    )
    text = (HERE / "nginx.conf.in").read_text(encoding="utf-8")
    replacements = {
        "@DIR@": str(directory),
        "@BODY_MAX@": f"{max_body_bytes(settings) // 1024 + 1}k",
        "@RATE@": f"{max(1, per_minute)}{unit}",
        "@BURST@": str(max(1, per_client.count)),
        "@RASA_SERVERS@": servers,
        "@ACTION_SERVERS@": "\n".join(f"        server 127.0.0.1:{port};" for port in ports.actions),
        "@ACTIONS_PORT@": str(ports.actions_balancer),
        "@API_PORT@": str(ports.api),
        "@LISTEN@": f"{listen_host}:{ports.public}",
    }
    for key, value in replacements.items():
        text = text.replace(key, value)
    return text


def _program(name: str, command: str, directory: Path, environment: dict[str, str] | None = None) -> str:
    lines = [
        f"[program:{name}]",
        f"command={command}",
        f"directory={REPO_ROOT}",
        "autorestart=true",
        "startsecs=3",
        "stopwaitsecs=20",
        "stopasgroup=true",
        "killasgroup=true",
        f"stdout_logfile={directory / name}.log",
        "redirect_stderr=true",
    ]
    if environment:
        lines.append("environment=" + ",".join(f'{key}="{value}"' for key, value in environment.items()))
    return "\n".join(lines) + "\n"


def render_supervisor(settings: Settings, ports: Ports, directory: Path) -> str:
    parts = [
        "[supervisord]",
        f"logfile={directory / 'supervisord.log'}",
        f"pidfile={directory / 'supervisord.pid'}",
        "nodaemon=true",
        "",
        "[unix_http_server]",
        f"file={directory / 'supervisor.sock'}",
        "chmod=0700",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{directory / 'supervisor.sock'}",
        "",
    ]
    for index, port in enumerate(ports.actions, start=1):
        parts.append(
            _program(
                f"actions{index}",
                f"{sys.executable} -m actions.server --port {port} --actions actions",
                directory,
                {"SANIC_HOST": "127.0.0.1"},
            )
        )
    for index, port in enumerate(ports.rasa, start=1):
        parts.append(
            _program(
                f"rasa{index}",
                f"{sys.executable} -m bot.serve --port {port} --endpoints {HERE / 'endpoints.yml'}",
                directory,
                {"TICKET_LOCK_LIFETIME": str(settings.ticket_lock_lifetime)},
            )
        )
    parts.append(
        _program(
            "api", f"{BIN / 'uvicorn'} api.main:app --host 127.0.0.1 --port {ports.api} --ws none", directory
        )
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    parts.append(
        _program(
            "nginx",
            f"{nginx} -e stderr -c {directory / 'nginx.conf'} -p {directory} -g 'daemon off;'",
            directory,
        )
    )
    return "\n".join(parts)


def create_database(url: str) -> None:
    """Creates the PostgreSQL database an URL names when it is missing (trust or a role that may)."""
    parts = sa.engine.make_url(url)
    if not parts.drivername.startswith("postgresql"):
        return
    engine = sa.create_engine(parts.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parts.database}
        ).scalar()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{parts.database}"'))
    engine.dispose()


def prepare(settings: Settings) -> None:
    """Databases exist, the catalogue is migrated, and seeded only when it is empty."""
    from service_catalog import seed

    for url in (settings.database_url, settings.tracker_store_url):
        if url:
            create_database(url)
    seed.main(["--if-empty"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=5100, help="first port of the internal servers")
    parser.add_argument(
        "--listen-host", default="127.0.0.1", help="nginx's address (0.0.0.0 to serve others)"
    )
    parser.add_argument("--directory", type=Path, default=REPO_ROOT / "var" / "production")
    args = parser.parse_args(argv)
    # Every process started from here is production: it refuses what production cannot do
    # without (PK_SECRET_KEY), as this launcher does first.
    os.environ["PK_ENVIRONMENT"] = "production"
    get_settings.cache_clear()
    try:
        settings = get_settings()
    except pydantic.ValidationError as error:
        parser.error("; ".join(problem["msg"] for problem in error.errors()))
    missing = [name for name in ("tracker_store_url", "lock_store_url") if not getattr(settings, name)]
    if missing:
        parser.error(
            "set " + " and ".join(f"PK_{name.upper()}" for name in missing) + " (see README, Production)"
        )
    directory = args.directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    ports = Ports.plan(settings, args.base_port)
    (directory / "nginx.conf").write_text(render_nginx(settings, ports, directory, args.listen_host))
    (directory / "supervisord.conf").write_text(render_supervisor(settings, ports, directory))
    prepare(settings)
    os.environ["PK_ACTION_SERVER_URL"] = f"http://127.0.0.1:{ports.actions_balancer}/webhook"
    os.environ["PK_ACTION_TOKEN"] = settings.action_token or secrets.token_urlsafe(32)
    print(f"production set-up: http://{args.listen_host}:{ports.public}/ (logs in {directory})", flush=True)
    command = [str(BIN / "supervisord"), "-c", str(directory / "supervisord.conf")]
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
