#!/usr/bin/env python3
"""Checks sparrow's reports against their JSON Schemas (docs/report.schema.json for `sparrow run`,
docs/verify-report.schema.json for `sparrow verify`).

    scripts/check_report.py docs/report.schema.json OUT/report.json [MORE.json ...]

Prints one line per finding (file: JSON path: what is wrong) and exits 1 if there is any, 2 if
a file cannot be read. The checker implements the keywords the schema uses ($ref, allOf, type,
enum, const, properties, required, additionalProperties, unevaluatedProperties: false, items,
minimum) and refuses a schema with any other, so that nothing in the schema goes unchecked.
A $ref is "#/PATH" within the schema or "FILE#/PATH" into another schema file beside it.
"""
import json
import os
import sys

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
KEYWORDS = {"$ref", "allOf", "type", "enum", "const", "properties", "required",
            "additionalProperties", "unevaluatedProperties", "items", "minimum"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def rebase(node, file):
    """`node` of schema file `file` with its references within that file made FILE#/..."""
    if isinstance(node, dict):
        return {k: (file + v if k == "$ref" and v.startswith("#/") else rebase(v, file))
                for k, v in node.items()}
    if isinstance(node, list):
        return [rebase(v, file) for v in node]
    return node


class Checker:
    def __init__(self, schema, schema_dir="."):
        self.root = schema
        self.schema_dir = schema_dir
        self.files = {}
        self.findings = []

    def target(self, ref):
        file, hash_, pointer = ref.partition("#")
        if not hash_ or not pointer.startswith("/"):
            raise ValueError(f"$ref {ref}: allowed: #/PATH or FILE#/PATH")
        node = self.root
        if file:
            if file not in self.files:
                with open(os.path.join(self.schema_dir, file)) as f:
                    self.files[file] = rebase(json.load(f), file)
            node = self.files[file]
        for part in pointer[1:].split("/"):
            node = node[part]
        return node

    def resolve(self, schema):
        while "$ref" in schema:
            node = self.target(schema["$ref"])
            schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def known_properties(self, schema):
        """The properties a schema and its allOf parts name (unevaluatedProperties)."""
        schema = self.resolve(schema)
        names = set(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            names |= self.known_properties(part)
        return names

    def check(self, value, schema, path):
        schema = self.resolve(schema)
        unknown = set(schema) - KEYWORDS - ANNOTATIONS
        if unknown:
            raise ValueError(f"schema at {path}: keywords this checker does not implement: "
                             f"{sorted(unknown)}")
        bad = lambda what: self.findings.append(f"{path or '/'}: {what}")
        for part in schema.get("allOf", []):
            self.check(value, part, path)
        if "const" in schema and value != schema["const"]:
            bad(f"got {json.dumps(value)}; allowed: {json.dumps(schema['const'])}")
        if "enum" in schema and value not in schema["enum"]:
            bad(f"got {json.dumps(value)}; allowed: one of {json.dumps(schema['enum'])}")
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(type_ok(value, n) for n in names):
                bad(f"got {type(value).__name__} {json.dumps(value)[:40]}; allowed: "
                    f"{' or '.join(names)}")
                return
        if "minimum" in schema and type_ok(value, "number") and value < schema["minimum"]:
            bad(f"got {value}; allowed: at least {schema['minimum']}")
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    bad(f"missing field '{key}'")
            extra = schema.get("additionalProperties", True)
            for key, v in value.items():
                sub = f"{path}/{key}"
                if key in props:
                    self.check(v, props[key], sub)
                elif isinstance(extra, dict):
                    self.check(v, extra, sub)
                elif extra is False or (schema.get("unevaluatedProperties", True) is False
                                        and key not in self.known_properties(schema)):
                    bad(f"field '{key}' is not in the schema")
        if isinstance(value, list) and "items" in schema:
            for i, v in enumerate(value):
                self.check(v, schema["items"], f"{path}[{i}]")


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    failed = False
    for name in sys.argv[2:]:
        try:
            with open(name) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{name}: {e}", file=sys.stderr)
            return 2
        c = Checker(schema, os.path.dirname(os.path.abspath(sys.argv[1])))
        c.check(report, schema, "")
        for line in c.findings:
            print(f"{name}: {line}")
        failed |= bool(c.findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
