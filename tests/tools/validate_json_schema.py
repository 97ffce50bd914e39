#!/usr/bin/env python3
"""Validates a JSON document against a JSON schema, offline.

usage: validate_json_schema.py SCHEMA DOC [--ref-dir DIR]

$refs to other files (CycloneDX's spdx.schema.json and jsf-0.82.schema.json) are resolved to
the *.json files of DIR (default: the schema's directory), matched by their $id or by file
name; a $ref that would need the network is an error, never a download. Works with Debian 12's
python3-jsonschema (4.10, RefResolver) and with newer releases (the `referencing` library).
Exit status: 0 valid, 1 invalid (each error printed with its JSON path), 2 usage or I/O error.
"""

import argparse
import json
import pathlib
import sys
import urllib.parse
import warnings

import jsonschema
import jsonschema.validators


def schema_id(schema):
    return schema.get("$id") or schema.get("id") or ""


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def local_schemas(ref_dir, root_id):
    """Every schema of ref_dir, keyed by each URI a $ref may name it by."""
    store = {}
    for path in sorted(pathlib.Path(ref_dir).glob("*.json")):
        try:
            contents = load(path)
        except (OSError, ValueError):
            continue
        if not isinstance(contents, dict):
            continue
        uris = {path.resolve().as_uri(), path.name}
        if schema_id(contents):
            uris.add(schema_id(contents).rstrip("#"))
        if root_id:
            uris.add(urllib.parse.urljoin(root_id, path.name))
        for uri in uris:
            store.setdefault(uri, contents)
    return store


def patch_old_jsonschema():
    """jsonschema 4.10 (Debian 12) sorts the extra items of an array to word an error message
    and raises TypeError when they are objects, so a CycloneDX licenses array of three or more
    licenses crashes the oneOf check instead of choosing the other branch. The message needs
    no order: keep it as given."""
    utils = getattr(jsonschema, "_utils", None)
    try:
        utils.extras_msg([{}, {}])
        return
    except TypeError:
        pass
    except AttributeError:
        return

    def extras_msg(extras):
        verb = "was" if len(extras) == 1 else "were"
        return ", ".join(repr(extra) for extra in extras), verb

    utils.extras_msg = extras_msg
    validators_module = getattr(jsonschema, "_validators", None)
    if validators_module is not None and hasattr(validators_module, "extras_msg"):
        validators_module.extras_msg = extras_msg


def offline(uri):
    raise ValueError(f"$ref to {uri} is not among the local schemas (no network access)")


def make_validator(schema, store):
    cls = jsonschema.validators.validator_for(schema)
    try:
        import referencing  # jsonschema >= 4.18
        import referencing.jsonschema
    except ImportError:
        referencing = None
    format_checker = getattr(cls, "FORMAT_CHECKER", None)
    if referencing is not None:
        default = referencing.jsonschema.specification_with(
            cls.META_SCHEMA.get("$schema", ""), default=referencing.jsonschema.DRAFT7)
        resources = [(uri, referencing.Resource.from_contents(c, default_specification=default))
                     for uri, c in store.items()]

        def retrieve(uri):
            offline(uri)

        registry = referencing.Registry(retrieve=retrieve).with_resources(resources)
        return cls(schema, registry=registry, format_checker=format_checker)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(
            base_uri=schema_id(schema), referrer=schema, store=dict(store),
            handlers={"http": offline, "https": offline, "file": offline})
    return cls(schema, resolver=resolver, format_checker=format_checker)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema")
    parser.add_argument("doc")
    parser.add_argument("--ref-dir", help="directory of schemas that $refs point to")
    args = parser.parse_args()
    try:
        schema = load(args.schema)
        doc = load(args.doc)
    except (OSError, ValueError) as e:
        print(f"validate_json_schema: {e}", file=sys.stderr)
        return 2
    patch_old_jsonschema()
    ref_dir = args.ref_dir or str(pathlib.Path(args.schema).resolve().parent)
    validator = make_validator(schema, local_schemas(ref_dir, schema_id(schema)))
    try:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    except Exception as e:  # an unresolvable $ref: the setup is wrong, not the document
        print(f"validate_json_schema: {e}", file=sys.stderr)
        return 2
    for error in errors[:50]:
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"{args.doc}: {path}: {error.message}")
    if errors:
        print(f"{len(errors)} error(s): {args.doc} does not satisfy {args.schema}")
        return 1
    print(f"{args.doc}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
