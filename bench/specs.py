#!/usr/bin/env python3
"""Large generated OpenAPI documents opened by zorgtui and by openapi-tui, launch to first frame, in tmux.

The documents are shaped like big published specs: many paths with several methods each, path and query
parameters and request bodies through `$ref`s into `components`, schemas nested several levels deep that refer to
each other, long descriptions. Each is written as YAML and as JSON (the same content). zorgtui is measured cold (no
cache: its cache directory cannot be written) and warm (a second start on the unchanged document).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup  # noqa: E402  (the same tmux measurement as bench/startup.sh)

WORDS = ("patient practitioner organization record consent episode measure report schedule invoice claim "
         "coverage device location endpoint request response version status identifier reference").split()


def words(i, n):
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def schema(i, depth, schemas):
    """An object schema `depth` levels deep, with refs to earlier schemas."""
    if depth == 0:
        return {"type": "string", "description": words(i, 6), "example": words(i, 2)}
    properties = {
        "id": {"type": "string", "format": "uuid", "readOnly": True},
        "name": {"type": "string", "description": words(i + 1, 12)},
        "count": {"type": "integer", "minimum": 0, "maximum": 1000},
        "status": {"type": "string", "enum": ["active", "inactive", "pending"]},
        "created": {"type": "string", "format": "date-time"},
        "child": schema(i + 1, depth - 1, schemas),
        "items": {"type": "array", "items": schema(i + 2, depth - 1, schemas)},
    }
    if schemas:
        properties["related"] = {"$ref": f"#/components/schemas/S{(i * 13) % schemas:05d}"}
    return {"type": "object", "description": words(i, 20), "required": ["name"], "properties": properties}


def document(paths, schemas, depth):
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Generated API", "version": "1.0.0", "description": words(0, 200)},
        "servers": [{"url": "https://api.example.org/v1"}],
        "tags": [{"name": f"t{t:02d}", "description": words(t, 8)} for t in range(20)],
        "paths": {},
        "components": {
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 100}},
                "Skip": {"name": "skip", "in": "query", "schema": {"type": "integer", "default": 0}},
            },
            "schemas": {},
            "securitySchemes": {
                "oauth2": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://id.example.org/auth", "tokenUrl": "https://id.example.org/token",
                    "scopes": {f"r{t:02d}:read": words(t, 4) for t in range(20)}}}}},
        },
    }
    for s in range(schemas):
        doc["components"]["schemas"][f"S{s:05d}"] = schema(s, depth, schemas if s else 0)
    for p in range(paths):
        tag = f"t{p % 20:02d}"
        ref = {"$ref": f"#/components/schemas/S{p % schemas:05d}"}
        answer = {"200": {"description": words(p, 10), "content": {"application/json": {"schema": ref}}},
                  "404": {"description": "not found"}}
        doc["paths"][f"/r{p:05d}/items"] = {
            "get": {"tags": [tag], "summary": f"List {words(p, 3)}", "description": words(p, 60),
                    "operationId": f"list{p}", "security": [{"oauth2": [f"{tag}:read"]}],
                    "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Skip"}],
                    "responses": answer},
            "post": {"tags": [tag], "summary": f"Add {words(p, 2)}", "operationId": f"add{p}",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                     "responses": answer},
        }
        doc["paths"][f"/r{p:05d}/items/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"tags": [tag], "summary": f"Get {words(p, 2)}", "operationId": f"get{p}", "responses": answer},
            "put": {"tags": [tag], "summary": f"Replace {words(p, 2)}", "operationId": f"put{p}",
                    "requestBody": {"content": {"application/json": {"schema": ref}}}, "responses": answer},
            "delete": {"tags": [tag], "summary": f"Remove {words(p, 2)}", "operationId": f"del{p}",
                       "responses": {"204": {"description": "gone"}}},
        }
    return doc


def write_documents(out, sizes):
    import yaml

    made = []
    for paths in sizes:
        doc = document(paths, schemas=paths, depth=2)
        base = os.path.join(out, f"generated-{paths}")
        # PyYAML writes a dict used twice as an anchor and an alias (`&id001` ... `*id001`); published specs are
        # written by tools that repeat it instead, and so is this.
        base_dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper

        class NoAliases(base_dumper):
            def ignore_aliases(self, data):
                return True

        with open(base + ".yaml", "w") as f:
            yaml.dump(doc, f, Dumper=NoAliases, sort_keys=False, width=100)
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=2)
        made += [base + ".yaml", base + ".json"]
    return made


def first_frames(session, name, command, marker, runs):
    frames = []
    for run in range(runs):
        result = startup.measure(session, f"{name}{run}", command, marker, idle=0.0)
        if result["first_frame_ms"] is not None:
            frames.append(result["first_frame_ms"])
    return statistics.median(frames) if frames else None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--zorgtui", required=True)
    parser.add_argument("--openapi-tui", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--paths", default="400,1200", help="generated documents: paths per document")
    parser.add_argument("documents", nargs="*", help="more documents to measure (their first path is the marker)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="zorg-specs-")
    documents = write_documents(work, [int(n) for n in args.paths.split(",") if n]) + args.documents
    width, height = args.size.split("x")
    session = f"specs-bench-{os.getpid()}"
    startup.tmux("new-session", "-d", "-s", session, "-x", width, "-y", height, "-n", "home")
    home = os.path.join(work, "home")
    os.makedirs(home)
    zenv = (f"env ZORGTUI_CONFIG={home}/none.toml ZORGTUI_DATA_DIR={home}/data ZORGTUI_STATE_DIR={home}/state")
    print(f"{'document':<28} {'MB':>5} {'openapi-tui':>12} {'zorgtui':>9} {'ratio':>6} {'warm':>8}   "
          f"(medians of {args.runs}, ms, {args.size})")
    try:
        for path in documents:
            marker = first_path(path)
            size = os.path.getsize(path) / 1e6
            theirs = first_frames(session, "oat", f"{args.openapi_tui} --input {path}", marker, args.runs)
            # Cold: a cache directory that cannot be made, so every start parses.
            cold = first_frames(session, "cold", f"{zenv} ZORGTUI_CACHE_DIR=/dev/null/none {args.zorgtui} --spec {path}",
                                marker, args.runs)
            cache = os.path.join(work, "cache-" + os.path.basename(path))
            warm_cmd = f"{zenv} ZORGTUI_CACHE_DIR={cache} {args.zorgtui} --spec {path}"
            first_frames(session, "prime", warm_cmd, marker, 1)
            warm = first_frames(session, "warm", warm_cmd, marker, args.runs)
            fmt = lambda v: "never" if v is None else f"{v:.0f}"
            ratio = f"{cold / theirs:.2f}" if cold and theirs else "-"
            print(f"{os.path.basename(path):<28} {size:>5.1f} {fmt(theirs):>12} {fmt(cold):>9} {ratio:>6} {fmt(warm):>8}")
    finally:
        startup.tmux("kill-session", "-t", session, check=False)


def first_path(path):
    """A path both programs list on their first screen: the document's first."""
    with open(path) as f:
        text = f.read()
    if text.lstrip().startswith("{"):
        return next(iter(json.loads(text)["paths"]))
    import yaml

    loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    return next(iter(yaml.load(text, Loader=loader)["paths"]))


if __name__ == "__main__":
    sys.exit(main())
