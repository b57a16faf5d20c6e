"""Sends tasks of the conformance app, as a producer in an application pod would.

Usage: send_tasks.py '<json list of {"task": name, "queue": queue, "args": [...], "priority": n (optional)}>'
Prints one task id per line, in order. Exits non-zero if any send fails.
"""
import json
import sys

from conformance_app import app


def main(argv):
    messages = json.loads(argv[1])
    with app.producer_or_acquire() as producer:
        for message in messages:
            result = app.send_task(
                message["task"], args=message.get("args", []), queue=message["queue"], priority=message.get("priority"), producer=producer
            )
            print(result.id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
