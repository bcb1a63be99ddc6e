#!/usr/bin/python3
# desk_dogtail.py: what the end-to-end tests share: finding the application and its controls
# by accessible names and roles on the accessibility bus, waiting, TAP results, sign-in, and
# reading the clinic database (read-only: every change goes through the application).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

try:
    from dogtail import config
except ImportError:
    print('1..0 # SKIP dogtail is not installed (Debian: python3-dogtail)')
    sys.exit(0)

# Must be set before dogtail.tree is imported, or dogtail exits quietly.
config.config.checkForA11y = False
config.config.searchCutoffCount = 20
config.config.logDebugToFile = False
config.config.debugSearching = False
# dogtail's own messages go to standard output, where they would break TAP.
config.config.logDebugToStdOut = False
config.config.childrenLimit = 10000

from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402

TIMEOUT = 30
PASSWORD = 'frontdesk-demo'

# Roles a user operates; each must have a name a screen reader can say.
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'combo box',
    'entry', 'text', 'password text', 'page tab', 'menu item', 'spin button', 'slider',
    'link', 'list item',
}

results = []


def check(name, condition, detail=''):
    results.append((name, bool(condition), detail))
    status = 'ok' if condition else 'not ok'
    print('%s %d - %s' % (status, len(results), name), flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print('#   ' + line, flush=True)
    return condition


def wait_for(predicate, what, timeout=TIMEOUT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while the app works
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError('timed out waiting for ' + what)


def find_app():
    for child in tree.root.children:
        if child.name == 'front-desk':
            return child
    return None


def stop(process):
    process.terminate()
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


def unnamed_controls(node):
    bad = []

    def visit(node, depth=0):
        if depth > 60:
            return
        role = node.roleName
        if role in CONTROL_ROLES:
            name = (node.name or '').strip()
            # An unnamed widget is announced by its type name; GTK 4.8 says a mnemonic's
            # underscore aloud.
            if not name or re.match(r'^(Gtk|Adw|Desk)[A-Z]', name) or '_' in name:
                bad.append('%s "%s"' % (role, node.name))
        for child in node.children:
            visit(child, depth + 1)

    visit(node)
    return bad


def nodes(root, role=None, name=None):
    found = root.findChildren(GenericPredicate(roleName=role) if role else GenericPredicate())
    return [n for n in found if name is None or (n.name or '') == name]


def button(root, name):
    """The button named exactly @name that can be clicked, sensitive or not."""
    found = [b for b in nodes(root, 'push button', name) if 'click' in b.actions]
    return found[0] if found else None


def click(root, name, attempts=3):
    """Clicks the button named @name once it is sensitive; again if the bus lost it under us
    (a list rebuilt between finding the button and clicking it)."""
    for attempt in range(attempts):
        found = wait_for(lambda: (b := button(root, name)) is not None and b.sensitive and b,
                         'the button “%s” to be sensitive' % name)
        try:
            found.doActionNamed('click')
            return
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def label(root, pattern, role='label'):
    regex = re.compile(pattern)
    for node in nodes(root, role):
        if regex.search(node.name or ''):
            return node
    return None


def editable(root, name):
    for role in ('text', 'entry', 'password text'):
        for node in nodes(root, role, name):
            return node
    return None


def frame(app, name):
    for child in app.children:
        if child.roleName == 'frame' and child.name == name:
            return child
    return None


# The clinic, read (never written).

def query(database, sql, *args):
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def one(database, sql, *args):
    rows = query(database, sql, *args)
    return rows[0][0] if rows else None


def sign_in(app):
    sign_in = wait_for(lambda: button(app, 'Sign In'), 'the sign-in page')
    editable(app, 'Username').text = 'admin'
    editable(app, 'Password').text = PASSWORD
    sign_in.doActionNamed('click')
    return wait_for(lambda: nodes(app, 'entry', 'Search members')[0], 'the members view')


def run_main(run, prefix):
    """Runs run(front_desk, admin, workdir) in a fresh folder and prints TAP; the exit status."""
    front_desk, admin = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix=prefix)
    try:
        run(front_desk, admin, workdir)
    except Exception as error:  # report, do not crash without a plan
        check('the scenario ran to its end', False, repr(error))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print('1..%d' % len(results), flush=True)
    return 0 if all(ok for _, ok, _ in results) else 1
