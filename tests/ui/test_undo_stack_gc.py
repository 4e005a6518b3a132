"""The undo stack's commands never reach Python's cyclic garbage collector alive.

Our QUndoCommand subclasses, the views and their callbacks refer back to the context,
so a dropped context and the commands on its stack are freed by the collector. PySide6
6.11 may clear a command's wrapper first, which frees the C++ command while QUndoStack
still lists it; ~QUndoStack then deletes it again: SIGSEGV inside ``gc.collect()``
(seen as an intermittent crash of the UI tests, every time once each test was followed
by a collection). The context empties its stack through Qt on close() and when it is
dropped without close(), so the collector only ever finds invalidated wrappers.

The crash takes the whole interpreter down, so the real sequence runs in a child
process: a 群规 screen, two saved rule edits on the undo stack, the screen closed
(deleteLater, as pytest-qt does) and the context let go, then a collection before and
after Qt has deleted the screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from sqdesk.core.rules_store import RuleInput
from sqdesk.ui.context import AppContext

TIMEOUT = 15_000
ROOT = Path(__file__).resolve().parents[2]

SCENARIO = r'''
import gc, os, sys, time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

folder, how = Path(sys.argv[1]), sys.argv[2]
app = QApplication([])
QCoreApplication.setOrganizationName("sqdesk-test")
QCoreApplication.setApplicationName("sqdesk-test")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
    QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))

from sqdesk.core.workspace import open_workspace
from sqdesk.ui.context import AppContext
from sqdesk.ui.settings import Settings
from sqdesk.ui.views.rules import RulesView


def wait(pred):
    end = time.monotonic() + 15
    while not pred():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def scenario():
    ws = open_workspace(folder / "w.sqdesk", operator="t")
    ctx = AppContext(Settings())
    ctx.set_workspace(ws)
    view = RulesView(ctx)
    view.show()
    wait(ctx.tasks.is_idle)
    view.new_rule()
    view.editor.title.setText("禁止刷屏")
    view.editor.condition.edit.setPlainText("messages_7d >= 500")
    view.editor.save()
    wait(lambda: ctx.tasks.is_idle() and view.model.rowCount() == 1)
    view.editor.title.setText("禁止刷屏和广告")
    view.editor.save()
    wait(lambda: ctx.tasks.is_idle() and view.model.rules()[0].title == "禁止刷屏和广告")
    assert ctx.undo_stack.count() == 2
    view.close()
    view.deleteLater()
    if how == "closed":
        ctx.close()
    else:  # let go of without close(): only the work that must stop is stopped
        ctx.tasks.shutdown()
    ws.close()


scenario()
print("first collection:", gc.collect(), flush=True)
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
app.processEvents()
print("second collection:", gc.collect(), flush=True)
print("survived", flush=True)
'''


@pytest.mark.parametrize("how", ["closed", "dropped"])
def test_collecting_a_dropped_context_with_commands_on_its_stack_does_not_crash(
    tmp_path: Path, how: str
) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", SCENARIO, str(tmp_path), how],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env,
    )
    assert done.returncode == 0 and "survived" in done.stdout, (
        f"exit code {done.returncode}\n{done.stdout}\n{done.stderr[-4000:]}")


def test_close_deletes_the_commands_through_qt(qtbot: Any, ctx: AppContext) -> None:
    from sqdesk.ui.commands_rules import SaveRuleCommand

    done: list[bool] = []
    cmd = SaveRuleCommand(ctx, None, RuleInput(title="禁止广告", condition="violations_30d >= 1"),
                          on_done=lambda _c, forward: done.append(forward))
    ctx.undo_stack.push(cmd)
    qtbot.waitUntil(lambda: done == [True], timeout=TIMEOUT)
    assert shiboken6.isValid(cmd) and ctx.undo_stack.count() == 1

    ctx.close()
    assert ctx.undo_stack.count() == 0
    assert not shiboken6.isValid(cmd)  # Qt deleted it; the wrapper owns nothing now
