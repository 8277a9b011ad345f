#!/usr/bin/env python3
"""A planner's script: upload the city's snapshot to rota, check it, and read the answer.

Run it against a server started with `rota serve` (see docs/grpc.md):

    pip install grpcio grpcio-tools        # grpcio >= 1.60
    rota gen --out city.json
    rota serve &                           # 127.0.0.1:50051
    python3 examples/python_client.py city.json
    python3 examples/python_client.py city.json --server rota.example:443 --tls --token "$ROTA_TOKEN"

The stubs are generated at run time from proto/ with grpcio-tools into a temporary directory,
so nothing generated is checked in. (To generate them once instead:
`python3 -m grpc_tools.protoc -Iproto --python_out=. --grpc_python_out=. proto/rota/v1/*.proto`.)

The snapshot file is the JSON that `rota gen` and `rota check` use. Its field names are the
proto's; only enum spellings differ (`"clerk"` in JSON is `GRADE_CLERK` in the proto, `"Wed"` is
`WEEKDAY_WEDNESDAY`), and two proto3-only flags stand in for JSON nulls. `to_proto_dict` below
makes that translation. Note that `from` (Posting, Leave) is a Python keyword: read it with
`getattr(msg, "from")`.

Exit codes follow `rota check`: 0 no violations, 1 violations, 2 unusable input or no answer.
"""

import argparse
import importlib
import json
import os
import pathlib
import sys
import tempfile

import grpc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"


def load_stubs():
    """Generates the Python stubs for rota.v1 into a temp dir and imports them."""
    from grpc_tools import protoc  # grpcio-tools
    import grpc_tools

    out = tempfile.mkdtemp(prefix="rota_stubs_")
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    files = sorted(str(p) for p in (PROTO_DIR / "rota" / "v1").glob("*.proto"))
    status = protoc.main(
        ["protoc", f"-I{PROTO_DIR}", f"-I{well_known}", f"--python_out={out}", f"--grpc_python_out={out}"]
        + files
    )
    if status != 0:
        sys.exit(f"cannot compile the protos in {PROTO_DIR}")
    # rota/v1/*.py import each other as `rota.v1.x_pb2`: make `rota` a package.
    for d in (pathlib.Path(out) / "rota", pathlib.Path(out) / "rota" / "v1"):
        (d / "__init__.py").touch()
    sys.path.insert(0, out)
    return (
        importlib.import_module("rota.v1.service_pb2"),
        importlib.import_module("rota.v1.service_pb2_grpc"),
        importlib.import_module("rota.v1.snapshot_pb2"),
        importlib.import_module("rota.v1.check_pb2"),
    )


# JSON enum spelling -> proto enum prefix, by field name.
ENUM_FIELDS = {
    "categories": "WORKPLACE_CATEGORY",
    "allowed_categories": "WORKPLACE_CATEGORY",
    "band": "GRADE_BAND",
    "grade": "GRADE",
    "employment": "EMPLOYMENT",
    "kind": None,  # depends on the message: see below
    "status": "LEAVE_STATUS",
}
WEEKDAYS = {
    "Mon": "MONDAY", "Tue": "TUESDAY", "Wed": "WEDNESDAY", "Thu": "THURSDAY",
    "Fri": "FRIDAY", "Sat": "SATURDAY", "Sun": "SUNDAY",
}


def enum(prefix, value):
    return f"{prefix}_{value.upper()}"


def to_proto_dict(snapshot):
    """Translates rota's snapshot JSON into the proto's JSON mapping (for json_format.ParseDict)."""
    s = json.loads(json.dumps(snapshot))  # deep copy

    def fix_enums(obj, kind_prefix=None):
        if isinstance(obj, list):
            for item in obj:
                fix_enums(item, kind_prefix)
            return
        if not isinstance(obj, dict):
            return
        for key, value in list(obj.items()):
            prefix = ENUM_FIELDS.get(key, "")
            if key == "kind":
                prefix = kind_prefix
            if prefix and isinstance(value, str):
                obj[key] = enum(prefix, value)
            elif prefix and isinstance(value, list):
                obj[key] = [enum(prefix, v) for v in value]
            elif key == "weekdays":
                obj[key] = ["WEEKDAY_" + WEEKDAYS[v] for v in value]
            elif key in ("history", "accommodations", "wishes", "opening", "quota"):
                fix_enums(value)
            elif key == "short_hours" and value is not None:
                value["kind"] = enum("SHORT_HOURS_KIND", value["kind"])
            elif key == "contract":
                fix_enums(value)
            elif value is None:
                del obj[key]

    fix_enums(s.get("organisation", {}).get("units", []))
    fix_enums(s.get("staff", []))
    fix_enums(s.get("shift_types", []), kind_prefix="SHIFT_KIND")
    fix_enums(s.get("leave", []), kind_prefix="LEAVE_KIND")

    calendar = s.get("calendar", {})
    if calendar.get("holidays") is not None:
        calendar["holidays_given"] = True
    else:
        calendar.pop("holidays", None)

    rules = s.get("rules")
    if rules is not None:
        if "no_overtime_weekday" in rules:
            day = rules.pop("no_overtime_weekday")
            if day is None:
                rules["no_overtime_day_disabled"] = True
            else:
                rules["no_overtime_weekday"] = "WEEKDAY_" + WEEKDAYS[day]
    return s


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", help="snapshot JSON, as written by `rota gen`")
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--tls", action="store_true", help="connect with TLS")
    parser.add_argument("--ca-cert", help="PEM of a private CA (with --tls)")
    parser.add_argument("--token", default=os.environ.get("ROTA_TOKEN"), help="bearer token")
    parser.add_argument("--timeout", type=float, default=120.0, help="deadline per call, seconds")
    args = parser.parse_args()

    service_pb2, service_grpc, snapshot_pb2, check_pb2 = load_stubs()
    from google.protobuf import json_format
    from google.rpc import error_details_pb2, status_pb2  # shipped with grpcio-status / googleapis-common-protos

    with open(args.snapshot, encoding="utf-8") as f:
        snapshot = json_format.ParseDict(to_proto_dict(json.load(f)), snapshot_pb2.Snapshot())

    # A city is tens of MB: raise grpcio's 4 MiB defaults to the server's 64 MiB.
    limit = 64 * 1024 * 1024
    options = [("grpc.max_send_message_length", limit), ("grpc.max_receive_message_length", limit)]
    if args.tls:
        root = open(args.ca_cert, "rb").read() if args.ca_cert else None
        channel = grpc.secure_channel(args.server, grpc.ssl_channel_credentials(root), options)
    else:
        channel = grpc.insecure_channel(args.server, options)
    metadata = [("authorization", f"Bearer {args.token}")] if args.token else []
    stub = service_grpc.RotaServiceStub(channel)

    try:
        put = stub.PutSnapshot(
            service_pb2.PutSnapshotRequest(snapshot=snapshot), timeout=args.timeout, metadata=metadata
        )
        info = put.info
        print(f"snapshot {info.snapshot_id[:12]}… {'stored' if put.created else 'already stored'}: "
              f"{info.staff} staff, {info.roster_entries} roster entries, "
              f"{info.calendar_start} – {info.calendar_end}")

        # Every later question names the snapshot by id: no need to send it again.
        answer = stub.Check(
            service_pb2.CheckRequest(snapshot_id=info.snapshot_id), timeout=args.timeout, metadata=metadata
        )
    except grpc.RpcError as e:
        print(f"rota answered {e.code().name}: {e.details()}", file=sys.stderr)
        if e.code() == grpc.StatusCode.INVALID_ARGUMENT:
            # Every problem, with its field path, is in google.rpc.BadRequest.
            for key, value in e.trailing_metadata() or ():
                if key == "grpc-status-details-bin":
                    status = status_pb2.Status.FromString(value)
                    for detail in status.details:
                        bad = error_details_pb2.BadRequest()
                        if detail.Unpack(bad):
                            for v in bad.field_violations:
                                print(f"  {v.field}: {v.description}", file=sys.stderr)
        elif e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
            print("  the server is busy or its store is full; retry later", file=sys.stderr)
        return 2

    report = answer.report
    print(f"{report.summary.total} violation(s), {report.summary.staff_affected} staff affected")
    for rule, count in sorted(report.summary.by_rule.items()):
        print(f"  {rule:<30} {count:>6}")
    # Violations are data: render them however the office needs.
    shown = {}
    for v in report.violations:
        name = check_pb2.Rule.Name(v.rule)
        if shown.get(name, 0) < 3:
            shown[name] = shown.get(name, 0) + 1
            who = v.staff if v.HasField("staff") else v.unit
            print(f"  {v.date} {name:<34} {who:<10} {v.message}")
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
