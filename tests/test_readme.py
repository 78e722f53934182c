"""The README's commands run as written.

Every ``kg`` command of the README's shell blocks runs, in order, in a copy of the project's examples, ontology and
test data, with ``news/`` a folder of articles (the examples again) and the Text2KGBench files the tour names
(``onto.json``, ``train.jsonl``, ``test.jsonl``) taken from tests/data/bench. ``kg serve`` lines run in the
background, a later one on the same port taking over from the earlier (as a reader stops one and starts the
next); the endpoint build then writes through a real ``kg serve --allow-update``, and again through a real
Oxigraph server started as the README says. Port 7878 becomes a free port, the only change made to a command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_backends import WHO_MADE_WHAT
from .conftest import EXAMPLES, ROOT
from .servers import free_port, oxigraph_binary, stop_process, wait_until_up

pytestmark = pytest.mark.slow

README = ROOT / "README.md"
BENCH = ROOT / "tests" / "data" / "bench"
# Commands whose inputs only a user has: their own gold facts and articles to retrain the classifier on (kg train
# is tested in tests/test_learn.py and by bench/news.py), and the model that makes.
NEEDS_USER_FILES = {
    "kg train --gold gold.jsonl --articles articles/ -o my-model.npz",
    "kg build news/ --relation-model my-model.npz",
}


def readme_commands(text: str) -> list[str]:
    """The commands of the README's ``bash`` blocks, comments dropped, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    return [command for block in blocks for line in block.splitlines() if (command := _without_comment(line))]


def _without_comment(line: str) -> str:
    quote = None
    for n, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (n == 0 or line[n - 1].isspace()):
            return line[:n].strip()
    return line.strip()


def test_the_readme_commands_are_read_whole():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert commands[:3] == ["bash scripts/demo.sh", "bash scripts/test.sh", "source .venv/bin/activate"]
    assert "kg build news/ --store http://127.0.0.1:7878/query" in commands
    assert "kg query 'SELECT ?film ?gross WHERE { ?f kg:boxOffice ?gross ; rdfs:label ?film }' --format csv" in commands
    assert NEEDS_USER_FILES <= set(commands)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A working directory as a user has it: the examples, the ontology, tests/data/bench, news/ and the
    Text2KGBench files, and ``kg`` on the PATH running this checkout."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(EXAMPLES, work / "examples")
    shutil.copytree(ROOT / "ontology", work / "ontology")
    shutil.copytree(BENCH, work / "tests" / "data" / "bench")
    shutil.copytree(EXAMPLES, work / "news")
    shutil.copy(BENCH / "ontology.json", work / "onto.json")
    shutil.copy(BENCH / "train.jsonl", work / "train.jsonl")
    shutil.copy(BENCH / "test.jsonl", work / "test.jsonl")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kg = bin_dir / "kg"
    kg.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg "$@"\n')
    kg.chmod(0o755)
    return work


def _environment(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    env["PATH"] = f"{project.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(command: str, project: Path) -> subprocess.CompletedProcess:
    if shutil.which("jq") is None:  # a machine without jq: the facts still have to come out as JSON lines
        command = command.replace("| jq .", f"| {sys.executable} -m json.tool --json-lines")
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=project, env=_environment(project),
                          capture_output=True, text=True, timeout=600)


def _port(command: str) -> int | None:
    found = re.search(r"(?:--port |--bind 127\.0\.0\.1:|127\.0\.0\.1:)(\d+)", command)
    return int(found.group(1)) if found else None


class Servers:
    """The servers the commands start, one per port, stopped by their PID."""

    def __init__(self) -> None:
        self.running: dict[int, subprocess.Popen] = {}

    def start(self, command: str, project: Path) -> None:
        port = _port(command)
        self.stop(port)
        process = subprocess.Popen(["bash", "-c", "exec " + command], cwd=project, env=_environment(project),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.running[port] = process
        wait_until_up(f"http://127.0.0.1:{port}", process, repr(command), seconds=60)

    def stop(self, port: int | None = None) -> None:
        for each in [port] if port is not None else list(self.running):
            process = self.running.pop(each, None)
            if process is not None:
                stop_process(process, 15)


@pytest.fixture()
def servers():
    started = Servers()
    yield started
    started.stop()


def _tour(port: int) -> list[str]:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    tour = commands[commands.index("source .venv/bin/activate") + 1:]
    return [c.replace("7878", str(port)) for c in tour if c not in NEEDS_USER_FILES]


def _rows(command: str, project: Path) -> list[str]:
    result = _run(command, project)
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.splitlines()[1:])


def test_the_tour_runs_as_written_against_kg_serve(project, servers):
    port = free_port()
    outputs = {}
    for command in _tour(port):
        if command.startswith("kg serve"):
            servers.start(command, project)
            continue
        result = _run(command, project)
        assert (command, result.returncode) == (command, 0), result.stderr[-2000:]
        outputs[command] = result.stdout + result.stderr
    built = outputs[f"kg build news/ --store http://127.0.0.1:{port}/query"]
    assert built.startswith("3 documents (3 added, 0 replaced, 0 unchanged)")
    # the store built through the endpoint holds what a store built here from the same articles holds
    local = _run("kg build news/ --store local-store", project)
    assert local.returncode == 0, local.stderr
    query = "kg query ontology/queries/who-made-what.rq --format csv --store "
    assert _rows(query + f"http://127.0.0.1:{port}/query", project) == _rows(query + "local-store", project)
    assert _rows(query + "local-store", project) == [",".join(row) for row in WHO_MADE_WHAT]


def test_the_endpoint_build_runs_against_an_oxigraph_server(project, servers):
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]' brings it)")
    readme = README.read_text(encoding="utf-8")
    [start] = re.findall(r"`(oxigraph serve [^`]+)`", readme)
    assert "--union-default-graph" in start
    port = free_port()
    [build] = [c for c in _tour(port) if "--store http" in c]
    oxigraph = str(Path(oxigraph_binary()))
    servers.start(start.replace("7878", str(port)).replace("oxigraph", oxigraph, 1), project)
    result = _run(build, project)
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).startswith("3 documents (3 added, 0 replaced, 0 unchanged)")
    local = _run("kg build news/ --store local-store", project)
    assert local.returncode == 0, local.stderr
    query = "kg query ontology/queries/who-made-what.rq --format csv --store "
    assert _rows(query + f"http://127.0.0.1:{port}/query", project) == _rows(query + "local-store", project)
