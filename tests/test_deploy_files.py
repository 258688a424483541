"""The deployment files stay in step with the settings the code reads (issue 6).

deploy/docker-compose.yml, deploy/kubernetes/values.yml (Rasa's Helm chart) and
deploy/kubernetes/perhekeskus.yml are only read by tools this machine does not run; these tests
read them as YAML and check them against `settings.Settings`, so a renamed or
new setting fails here rather than in a municipality's cluster. Fast and without network.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy import production
from settings import REPO_ROOT, Settings

DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
VALUES_FILE = DEPLOY / "kubernetes" / "values.yml"
MANIFESTS_FILE = DEPLOY / "kubernetes" / "perhekeskus.yml"
# Every file of the deployment that names environment variables.
DEPLOY_TEXT_FILES = [
    COMPOSE_FILE,
    VALUES_FILE,
    MANIFESTS_FILE,
    DEPLOY / "compose.env.example",
    DEPLOY / "endpoints.yml",
    DEPLOY / "nginx.compose.conf",
    DEPLOY / "Dockerfile",
    DEPLOY / "kubernetes" / "README.md",
]

# What each process of the production set-up must be given. A setting production must set
# goes here; the tests below then fail until both the compose file and Kubernetes pass it.
NEEDS = {
    # The conversations and their locks shared by several servers, the action server and the
    # token it asks for, the sites that embed the widget, and the token that guards Rasa's HTTP API.
    "rasa": {
        "tracker_store_url",
        "lock_store_url",
        "action_server_url",
        "action_token",
        "cors_origins",
        "rasa_token",
    },
    # The catalogue, the key without which a process warns and signs with a random one, and the
    # token without which it would run a forged tracker from any caller.
    "actions": {"database_url", "secret_key", "action_token"},
    # The catalogue, Rasa's store for erasing a family's conversations, staff tokens, CORS.
    "api": {"database_url", "tracker_store_url", "secret_key", "cors_origins"},
    "migrate": {"database_url"},
}
# Their defaults serve one developer (SQLite, memory, localhost, a random key): production
# must set every one of them somewhere.
PRODUCTION_SETTINGS = {
    "database_url",
    "tracker_store_url",
    "lock_store_url",
    "secret_key",
    "rasa_token",
    "cors_origins",
    "action_server_url",
    "action_token",
}
# Values that must never be written into a deployment file. The URLs carry passwords.
SECRET_SETTINGS = {"secret_key", "rasa_token", "action_token", "callback_webhook_secret"}
CREDENTIAL_URL_SETTINGS = {"database_url", "tracker_store_url", "lock_store_url"}
# PK_ variables that are not fields of Settings, each with the reason.
NOT_SETTINGS = {
    # Read by the one-off `python -m api.create_user` itself so the password stays out of the
    # command line; never a setting of a running service.
    "PK_NEW_USER_PASSWORD": "api/create_user.py",
}
COMPOSE_PROCESSES = {
    "rasa1": "rasa",
    "rasa2": "rasa",
    "actions": "actions",
    "api": "api",
    "migrate": "migrate",
}
COMPOSE_SERVICES = {"postgres", "redis", "migrate", "actions", "rasa1", "rasa2", "api", "nginx"}


def setting_env_names() -> dict[str, str]:
    """Environment name -> field, from the settings class's own configuration (prefix, aliases)."""
    names = {}
    for field in Settings.__fields__.values():
        for env in field.field_info.extra["env_names"]:
            names[env.upper()] = field.name
    return names


ENV_NAMES = setting_env_names()


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def compose() -> dict[str, Any]:
    return load(COMPOSE_FILE)


def values() -> dict[str, Any]:
    return load(VALUES_FILE)


def manifests() -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(MANIFESTS_FILE.read_text(encoding="utf-8")) if doc]


def compose_env(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def k8s_env(env: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in env}


def pod_containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["spec"]["template"]["spec"]["containers"]


def k8s_processes() -> dict[str, dict[str, dict[str, Any]]]:
    """Process -> its environment, in the chart values and the manifests."""
    chart = values()
    processes = {
        "rasa": k8s_env(chart["extraEnv"]),
        "actions": k8s_env(chart["rasa-action-server"]["extraEnv"]),
    }
    for doc in manifests():
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "perhekeskus-api":
            processes["api"] = k8s_env(pod_containers(doc)[0]["env"])
        if doc["kind"] == "Job" and doc["metadata"]["name"] == "perhekeskus-migrate":
            processes["migrate"] = k8s_env(pod_containers(doc)[0]["env"])
    return processes


def settings_given(env_names: set[str]) -> set[str]:
    return {ENV_NAMES[name] for name in env_names if name in ENV_NAMES}


# --- the settings -----------------------------------------------------------------------------


def test_the_lists_of_this_test_name_real_settings():
    fields = set(Settings.__fields__)
    named = PRODUCTION_SETTINGS | SECRET_SETTINGS | CREDENTIAL_URL_SETTINGS | set().union(*NEEDS.values())
    assert named <= fields, f"not settings (renamed?): {sorted(named - fields)}"
    assert (
        set().union(*NEEDS.values()) == PRODUCTION_SETTINGS
    ), "each production setting has a reader, and only those"
    # The settings' env config is what this test relies on: the prefix and the DATABASE_URL alias.
    assert ENV_NAMES["PK_DATABASE_URL"] == ENV_NAMES["DATABASE_URL"] == "database_url"
    assert ENV_NAMES["PK_ACTION_SERVER_URL"] == "action_server_url"


@pytest.mark.parametrize("path", DEPLOY_TEXT_FILES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_every_pk_variable_named_is_a_setting(path: Path):
    named = set(re.findall(r"\bPK_[A-Z][A-Z0-9_]*", path.read_text(encoding="utf-8")))
    unknown = named - set(ENV_NAMES) - set(NOT_SETTINGS)
    assert not unknown, f"{path.name} names variables no code reads: {sorted(unknown)} (a setting renamed?)"


def test_the_exceptions_are_still_read_where_they_say():
    for name, where in NOT_SETTINGS.items():
        assert name not in ENV_NAMES, f"{name} became a setting: drop it from NOT_SETTINGS"
        assert name in (REPO_ROOT / where).read_text(encoding="utf-8")


# --- docker compose --------------------------------------------------------------------------


def test_compose_has_the_expected_services():
    assert set(compose()["services"]) == COMPOSE_SERVICES


@pytest.mark.parametrize("service", sorted(COMPOSE_PROCESSES))
def test_compose_gives_each_process_the_settings_it_reads(service: str):
    given = settings_given(set(compose_env(compose()["services"][service])))
    missing = NEEDS[COMPOSE_PROCESSES[service]] - given
    assert (
        not missing
    ), f"deploy/docker-compose.yml: {service} lacks {sorted(f'PK_{m.upper()}' for m in missing)}"


def test_only_nginx_publishes_a_port():
    published = {name for name, service in compose()["services"].items() if service.get("ports")}
    assert published == {"nginx"}


def test_only_the_rasa_servers_share_a_network_with_the_action_server():
    services, networks = compose()["services"], compose()["networks"]
    members: dict[str, set[str]] = {}
    for name, service in services.items():
        for network in service.get("networks") or ["default"]:
            members.setdefault(network, set()).add(name)
    for network in services["actions"]["networks"]:
        others = members[network] - {"actions"}
        # PostgreSQL never calls anyone; every other neighbour could reach port 5055.
        assert others <= {
            "rasa1",
            "rasa2",
            "postgres",
        }, f"{network}: {sorted(others)} can reach the action server"
        assert not others or (networks[network] or {}).get("internal"), f"{network} must be internal"
    assert not services["actions"].get("ports")


def test_compose_writes_no_secret():
    for name, service in compose()["services"].items():
        for key, value in compose_env(service).items():
            setting = ENV_NAMES.get(key)
            if setting in SECRET_SETTINGS or key.endswith("PASSWORD"):
                # Required (`${VAR:?...}`), or optional and empty by default (`${VAR:-}`).
                assert re.fullmatch(
                    rf"\$\{{{key}(:\?[^}}]*|:-)\}}", value
                ), f"{name}: {key} is not from the environment"
            if setting in CREDENTIAL_URL_SETTINGS:
                password = re.search(r"://[^/@:]*:([^@]*)@", value)
                assert not password or password[1].startswith("${"), f"{name}: {key} holds a literal password"


def test_the_env_example_holds_no_secret():
    lines = (DEPLOY / "compose.env.example").read_text(encoding="utf-8").splitlines()
    entries = dict(line.partition("=")[::2] for line in lines if line and not line.startswith("#"))
    for key, value in entries.items():
        if ENV_NAMES.get(key) in SECRET_SETTINGS or key.endswith("PASSWORD"):
            assert value == "", f"compose.env.example gives {key} a value"


# --- Kubernetes (Rasa's Helm chart and our manifests) ------------------------------------------


def test_kubernetes_has_every_process():
    assert set(k8s_processes()) == set(NEEDS)


@pytest.mark.parametrize("process", sorted(NEEDS))
def test_kubernetes_gives_each_process_the_settings_it_reads(process: str):
    given = settings_given(set(k8s_processes()[process]))
    missing = NEEDS[process] - given
    assert not missing, f"deploy/kubernetes: {process} lacks {sorted(f'PK_{m.upper()}' for m in missing)}"


def test_kubernetes_takes_secrets_from_secret_objects():
    for process, env in k8s_processes().items():
        for key, item in env.items():
            if ENV_NAMES.get(key) in SECRET_SETTINGS | CREDENTIAL_URL_SETTINGS:
                assert "value" not in item and "secretKeyRef" in item.get(
                    "valueFrom", {}
                ), f"{process}: {key} must come from a Secret"


def test_the_action_server_is_cluster_internal_and_only_rasa_may_call_it():
    actions = values()["rasa-action-server"]
    assert actions["service"]["type"] == "ClusterIP"
    assert not actions.get("ingress", {}).get("enabled")
    port = actions["applicationSettings"]["port"]
    assert k8s_processes()["rasa"]["PK_ACTION_SERVER_URL"]["value"].endswith(
        f"{actions['fullnameOverride']}:{actions['service']['port']}/webhook"
    )
    (policy,) = [doc for doc in manifests() if doc["kind"] == "NetworkPolicy"]
    assert policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "rasa-action-server"
    (rule,) = policy["spec"]["ingress"]
    assert [source["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for source in rule["from"]] == [
        "rasa"
    ]
    # A NetworkPolicy names the pod's port, not the Service's.
    assert [item["port"] for item in rule["ports"]] == [port]


def test_the_chart_serves_the_guarded_webhook():
    # The chart mounts its credentials.yml over the image's; without our channel Rasa serves none.
    chart = values()
    assert (
        "bot.channels.FamilyChat"
        in chart["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    )
    assert chart["replicaCount"] >= 2


# --- commands ---------------------------------------------------------------------------------


def commands() -> Iterator[tuple[str, list[str]]]:
    for name, service in compose()["services"].items():
        if "build" in service:
            yield f"compose {name}", service["command"]
    chart = values()
    yield "chart rasa", chart["command"] + chart["args"]
    yield (
        "chart actions",
        chart["rasa-action-server"]["command"] + chart["rasa-action-server"].get("args", []),
    )
    for doc in manifests():
        if doc["kind"] in {"Deployment", "Job"}:
            for container in pod_containers(doc):
                yield (
                    f"{doc['kind']} {doc['metadata']['name']}",
                    container["command"] + container.get("args", []),
                )


def check_command(where: str, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    if command[:2] == ["python", "-m"]:
        module = command[2]
        assert importlib.util.find_spec(module), f"{where}: no module {module}"
        if module == "bot.serve":
            check_serve(where, command[3:], monkeypatch)
        if module == "service_catalog.seed" and "--if-empty" in command:
            assert "--if-empty" in Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8")
    elif command[0] == "uvicorn":
        module, _, attribute = command[1].partition(":")
        spec = importlib.util.find_spec(module)
        assert spec, f"{where}: no module {module}"
        # Read, not imported: importing the API takes most of a minute on a busy machine.
        source = Path(spec.origin).read_text(encoding="utf-8")
        defined = re.search(rf"^{attribute}\s*(:[^=]*)?=", source, re.MULTILINE)
        assert defined, f"{where}: {module} defines no {attribute}"
    elif command[:3] == ["rasa", "run", "actions"]:
        package = command[command.index("--actions") + 1]
        assert importlib.util.find_spec(package), f"{where}: no actions package {package}"
    else:
        pytest.fail(f"{where}: unexpected command {command}")


def check_serve(where: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """bot.serve accepts the arguments, and the endpoints file exists (the image's /app is the repo)."""
    from bot import serve

    started: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, command: started.append(command))
    monkeypatch.chdir(REPO_ROOT)
    serve.main(args)
    (command,) = started
    endpoints = Path(command[command.index("--endpoints") + 1])
    assert endpoints.resolve() == DEPLOY / "endpoints.yml", f"{where}: Rasa would read {endpoints}"
    assert "${PK_ACTION_SERVER_URL}" in endpoints.read_text(encoding="utf-8")


def test_every_command_runs_code_that_exists(monkeypatch: pytest.MonkeyPatch):
    seen = list(commands())
    assert len(seen) >= 9
    for where, command in seen:
        check_command(where, command, monkeypatch)


# --- nginx ------------------------------------------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
needs_nginx = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK), reason=f"nginx is not installed ({NGINX}): config not tested"
)


def rendered_nginx(directory: Path) -> str:
    # The defaults, not this machine's environment: the files below hard-code the defaults.
    settings = Settings.construct()
    return production.render_nginx(settings, production.Ports.plan(settings, 5100), directory, "127.0.0.1")


def nginx_test(config: Path, directory: Path) -> None:
    result = subprocess.run(
        [NGINX, "-t", "-q", "-e", "stderr", "-p", str(directory), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


@needs_nginx
def test_the_rendered_production_nginx_config_is_valid(tmp_path: Path):
    config = tmp_path / "nginx.conf"
    config.write_text(rendered_nginx(tmp_path), encoding="utf-8")
    nginx_test(config, tmp_path)


@needs_nginx
def test_the_compose_nginx_config_is_valid(tmp_path: Path):
    text = (DEPLOY / "nginx.compose.conf").read_text(encoding="utf-8")
    # The compose services' names resolve only inside compose; nginx -t resolves upstreams.
    for host in ("rasa1", "rasa2", "api"):
        text = re.sub(rf"server {host}:", "server 127.0.0.1:", text)
    text = text.replace("pid /tmp/nginx.pid;", f"pid {tmp_path / 'nginx.pid'};")
    text = text.replace(
        "http {",
        "http {\n"
        + "".join(
            f"    {kind}_temp_path {tmp_path / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
        1,
    )
    config = tmp_path / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    nginx_test(config, tmp_path)


def directive(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match[1]


def test_compose_and_ingress_limits_agree_with_the_production_nginx(tmp_path: Path):
    production_conf = rendered_nginx(tmp_path)
    compose_conf = (DEPLOY / "nginx.compose.conf").read_text(encoding="utf-8")
    limits = {
        "body": r"client_max_body_size (\S+);",
        "rate": r"limit_req_zone \S+ zone=per_client:\S+ rate=(\S+);",
        "burst": r"limit_req zone=per_client burst=(\d+)",
    }
    for name, pattern in limits.items():
        assert directive(compose_conf, pattern) == directive(
            production_conf, pattern
        ), f"nginx.compose.conf: {name}"
    (webhook,) = [
        doc for doc in manifests() if doc["kind"] == "Ingress" and doc["metadata"]["name"].endswith("webhook")
    ]
    annotations = webhook["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == directive(
        production_conf, limits["body"]
    )
    assert annotations["nginx.ingress.kubernetes.io/limit-rpm"] + "r/m" == directive(
        production_conf, limits["rate"]
    )
    assert annotations["nginx.ingress.kubernetes.io/enable-access-log"] == "false"
    assert "access_log off;" in compose_conf


def test_rasa_expands_the_action_server_url_and_token_of_the_production_endpoints(monkeypatch):
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("PK_ACTION_SERVER_URL", "http://127.0.0.1:5103/webhook")
    monkeypatch.setenv("PK_ACTION_TOKEN", "t0ken")
    config = read_endpoint_config(str(DEPLOY / "endpoints.yml"), "action_endpoint")
    assert config is not None and config.url == "http://127.0.0.1:5103/webhook"
    # As a header, which actions.server checks; Rasa's `token:` would be a query parameter.
    assert config.headers == {"Authorization": "Bearer t0ken"} and not config.token
    monkeypatch.delenv("PK_ACTION_TOKEN")
    with pytest.raises(RasaException, match="PK_ACTION_TOKEN"):
        read_endpoint_config(str(DEPLOY / "endpoints.yml"), "action_endpoint")


def test_every_action_server_of_production_checks_the_token():
    guarded = ["python", "-m", "actions.server"]
    assert compose()["services"]["actions"]["command"][:3] == guarded
    assert values()["rasa-action-server"]["command"][:3] == guarded
    settings = Settings.construct()
    supervisor = production.render_supervisor(settings, production.Ports.plan(settings, 5100), DEPLOY)
    actions = [line for line in supervisor.splitlines() if line.startswith("command=") and "actions" in line]
    assert actions and all(" -m actions.server " in line for line in actions)
    # The token reaches supervisord's processes by the environment, never the file on disk.
    assert "PK_ACTION_TOKEN" not in supervisor
