"""The Celery application the conformance tests run in place of an image's own module.

The tests link it under the module path a resource names in spec.app (for example `shop/celery.py`
re-exporting `app`), so the generated `--app=...` argument is used unchanged. Broker and result backend
come from CELERY_BROKER_URL / CELERY_RESULT_BACKEND, exactly as in the operator's pods.

Every task records what it saw as one JSON file in CONFORMANCE_OUTPUT, written atomically (temporary
file, then rename) so a test polling the directory never reads half a record.
"""
import json
import os
import threading
import time

import billiard

from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded

app = Celery("conformance")
app.conf.update(
    # Beat sends `tick` to the default queue ("celery") at this period, in seconds.
    beat_schedule={
        "tick": {
            "task": "conformance_app.tick",
            "schedule": float(os.environ.get("CONFORMANCE_TICK_SECONDS", "1")),
        },
    },
    worker_hijack_root_logger=False,
)


def _output_directory():
    return os.environ["CONFORMANCE_OUTPUT"]


def _record(kind, task_id, **fields):
    directory = _output_directory()
    final = os.path.join(directory, f"{kind}-{task_id}.json")
    partial = final + ".partial"
    with open(partial, "w", encoding="utf-8") as stream:
        json.dump(
            dict(
                kind=kind,
                task_id=task_id,
                pid=os.getpid(),
                process=billiard.current_process().name,
                thread=threading.current_thread().name,
                **fields,
            ),
            stream,
        )
    os.replace(partial, final)


def _queue(request):
    return (request.delivery_info or {}).get("routing_key")


@app.task(bind=True, name="conformance_app.record")
def record(self, token):
    """Records which worker ran the task and from which queue it came."""
    _record("record", self.request.id, token=token, queue=_queue(self.request), hostname=self.request.hostname)
    return token


@app.task(bind=True, name="conformance_app.slow")
def slow(self, token, seconds):
    """Records its start, runs for `seconds`, then records its end: the warm shutdown test stops the
    worker between the two."""
    _record("started", self.request.id, token=token, hostname=self.request.hostname)
    time.sleep(seconds)
    _record("finished", self.request.id, token=token, hostname=self.request.hostname)
    return token


@app.task(bind=True, name="conformance_app.limited")
def limited(self, token, seconds):
    """Records its start, then sleeps for `seconds`; when the soft time limit interrupts it, records that and
    keeps sleeping, so only the hard time limit can stop it before it records its end."""
    _record("started", self.request.id, token=token, hostname=self.request.hostname)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            time.sleep(max(0.0, deadline - time.monotonic()))
        except SoftTimeLimitExceeded:
            _record("soft-limit", self.request.id, token=token, hostname=self.request.hostname)
    _record("finished", self.request.id, token=token, hostname=self.request.hostname)
    return token


@app.task(bind=True, name="conformance_app.tick")
def tick(self):
    """The periodic task beat sends."""
    _record("tick", self.request.id, queue=_queue(self.request), hostname=self.request.hostname)
