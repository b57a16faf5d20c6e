#!/usr/bin/env python3
"""Writes the emulator's protobuf field table (Operator.Emulator/Protobuf/KubernetesMessages.Table.cs).

Usage: scripts/generate-protobuf-mapping.py <kubernetes/api checkout> <kubernetes/apimachinery checkout> > out.cs

The table is facts read from the upstream API definitions, not code: for every message reachable from the kinds the
emulator decodes, each field's protobuf number and wire type (from generated.proto) and its JSON name, and whether a
zero value is kept in JSON (a Go pointer or a field without omitempty, from types.go). Re-run it to pick up new fields.
"""
import os
import re
import sys

API, MACHINERY = sys.argv[1], sys.argv[2]
PACKAGES = {
    "core": (os.path.join(API, "core/v1"), "k8s.io.api.core.v1"),
    "apps": (os.path.join(API, "apps/v1"), "k8s.io.api.apps.v1"),
    "authorization": (os.path.join(API, "authorization/v1"), "k8s.io.api.authorization.v1"),
    "batch": (os.path.join(API, "batch/v1"), "k8s.io.api.batch.v1"),
    "discovery": (os.path.join(API, "discovery/v1"), "k8s.io.api.discovery.v1"),
    "meta": (os.path.join(MACHINERY, "pkg/apis/meta/v1"), "k8s.io.apimachinery.pkg.apis.meta.v1"),
}
ROOTS = ["core.Namespace", "core.Secret", "core.ConfigMap", "core.Service", "core.ServiceAccount", "core.Pod",
         "core.Endpoints", "core.Event", "apps.Deployment", "apps.ReplicaSet", "apps.ControllerRevision", "batch.Job",
         "discovery.EndpointSlice", "authorization.SelfSubjectAccessReview", "authorization.SubjectAccessReview",
         "meta.Status", "meta.DeleteOptions"]
# Messages with a JSON form of their own, converted by the codec rather than field by field.
SPECIAL = {"k8s.io.apimachinery.pkg.apis.meta.v1.Time": "Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
           "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "Duration", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "FieldsV1",
           "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "IntOrString", "k8s.io.apimachinery.pkg.api.resource.Quantity": "Quantity",
           "k8s.io.apimachinery.pkg.runtime.RawExtension": "RawExtension",
           "k8s.io.api.authorization.v1.ExtraValue": "StringList"}
SCALARS = {"string", "bytes", "bool", "int32", "int64", "double", "float"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def messages(package):
    text = read(os.path.join(PACKAGES[package][0], "generated.proto"))
    result = {}
    for match in re.finditer(r"^message (\w+) \{(.*?)^\}", text, re.S | re.M):
        fields = []
        for line in match.group(2).splitlines():
            line = line.strip()
            m = re.match(r"(optional|repeated) ([\w.]+) (\w+) = (\d+);", line)
            if m:
                fields.append((m.group(3), int(m.group(4)), m.group(2), m.group(1) == "repeated", None))
                continue
            m = re.match(r"map<string, ([\w.]+)> (\w+) = (\d+);", line)
            if m:
                fields.append((m.group(2), int(m.group(3)), m.group(1), False, "map"))
        result[match.group(1)] = fields
    return result


def go_fields(package):
    """struct name -> proto field name -> (json name, keep zero, inline)."""
    text = read(os.path.join(PACKAGES[package][0], "types.go"))
    result = {}
    for match in re.finditer(r"^type (\w+) struct \{(.*?)^\}", text, re.S | re.M):
        fields = {}
        for line in match.group(2).splitlines():
            m = re.match(r"\s*(\w+)?\s*([\w.\[\]*]+)\s+`(.*)`", line)
            if not m:
                continue
            tag = m.group(3)
            proto = re.search(r'protobuf:"[^"]*name=(\w+)', tag)
            js = re.search(r'json:"([^"]*)"', tag)
            if not proto or not js:
                continue
            parts = js.group(1).split(",")
            inline = parts[0] == "" or "inline" in parts
            pointer = m.group(2).startswith("*")
            keep = pointer or "omitempty" not in parts
            fields[proto.group(1)] = (parts[0], keep, inline)
        result[match.group(1)] = fields
    return result


PROTO = {p: messages(p) for p in PACKAGES}
GO = {p: go_fields(p) for p in PACKAGES}
BY_FULL = {full: short for short, (_, full) in PACKAGES.items()}


def resolve(package, type_name):
    if type_name in SCALARS:
        return type_name
    type_name = type_name.lstrip(".")
    full = type_name if "." in type_name else PACKAGES[package][1] + "." + type_name
    if full in SPECIAL:
        return SPECIAL[full]
    owner, _, name = full.rpartition(".")
    if owner not in BY_FULL:
        raise SystemExit(f"unknown package of {full}")
    return BY_FULL[owner] + "." + name


lines, seen, queue = [], set(), list(ROOTS)
while queue:
    qualified = queue.pop(0)
    if qualified in seen:
        continue
    seen.add(qualified)
    package, name = qualified.split(".")
    go = GO[package].get(name, {})
    specs = []
    for field, number, type_name, repeated, kind in PROTO[package][name]:
        target = resolve(package, type_name)
        json_name, keep, inline = go.get(field, (field, False, False))
        if "." in target:
            queue.append(target)
        text = f"{json_name} {number} " + ("map<" + target + ">" if kind == "map" else target + ("[]" if repeated else ""))
        if inline:
            text = f"{field} {number} {target} inline"
        elif keep and not repeated and kind != "map":
            text += " keep"
        specs.append(text)
    lines.append((qualified, specs))

print("// Generated by scripts/generate-protobuf-mapping.py from the Kubernetes API definitions (generated.proto for field")
print("// numbers and wire types, types.go for JSON names and which zero values JSON keeps). Do not edit by hand: re-run it.")
print("namespace Operator.Emulator.Protobuf;")
print()
print("internal static partial class KubernetesMessages")
print("{")
print("    private static readonly (string Name, string[] Fields)[] Table =")
print("    [")
for qualified, specs in sorted(lines):
    print(f'        ("{qualified}", [' + ", ".join(f'"{s}"' for s in specs) + "]),")
print("    ];")
print("}")
