#!/usr/bin/python3
# test-a11y.py: drives front-desk through its accessibility tree, as a screen reader
# user would, with dogtail. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-a11y.py FRONT_DESK FRONT_DESK_ADMIN
# The accessibility bridge must be on: no NO_AT_BRIDGE=1, no GTK_A11Y=none.
# GTK 4.8 reports no "showing" state: the application marks the pages of its stacks
# that are out of sight as hidden (desk_a11y_hide_inactive_pages), so whatever this
# finds is on the screen.
#
# Run it inside dbus-run-session and xvfb-run, with GSETTINGS_SCHEMA_DIR pointing at the
# compiled schema and GSETTINGS_BACKEND=memory (see tests/meson.build); use Debian's
# /usr/bin/python3, which has dogtail.

import os
import re
import shutil
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

# Roles a user operates; each must have a name a screen reader can say.
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'combo box',
    'entry', 'text', 'page tab', 'menu item', 'spin button', 'slider', 'link',
}

results = []


def check(name, condition, detail=''):
    results.append((name, bool(condition), detail))
    status = 'ok' if condition else 'not ok'
    print('%s %d - %s' % (status, len(results), name), flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print('#   ' + line, flush=True)


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


def start(binary, *args):
    process = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    app = wait_for(lambda: find_app(), 'the application on the accessibility bus')
    return process, app


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


def unnamed_controls(app):
    bad = []

    def visit(node, depth=0):
        if depth > 60:
            return
        role = node.roleName
        if role in CONTROL_ROLES:
            name = (node.name or '').strip()
            # An unnamed widget is announced by its type name.
            if not name or re.match(r'^(Gtk|Adw|Desk)[A-Z]', name):
                bad.append('%s "%s"' % (role, node.name))
        for child in node.children:
            visit(child, depth + 1)

    visit(app)
    return bad


def label_matching(app, pattern, role='label'):
    regex = re.compile(pattern)
    for node in app.findChildren(GenericPredicate(roleName=role)):
        if regex.search(node.name or ''):
            return node
    return None


def text_named(app, name):
    """The editable text of an entry row or entry with the accessible name @name."""
    for role in ('text', 'entry', 'password text'):
        for node in app.findChildren(GenericPredicate(roleName=role)):
            if (node.name or '').strip() == name:
                return node
    return None


def client_count(app):
    label = label_matching(app, r'^[0-9,. ]+ clients?$')
    return int(re.sub(r'[^0-9]', '', label.name)) if label else None


def main():
    front_desk, admin = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix='front-desk-a11y-')
    try:
        run(front_desk, admin, workdir)
    except Exception as error:  # report, do not crash without a plan
        check('the scenario ran to its end', False, repr(error))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print('1..%d' % len(results), flush=True)
    return 0 if all(ok for _, ok, _ in results) else 1


def run(front_desk, admin, workdir):
    database = os.path.join(workdir, 'clinic.db')
    subprocess.run([admin, '--database', database, 'init', '--demo', '--name', 'Test Clinic',
                    '--clients', '300', '--seed', '7'], check=True, stdout=subprocess.DEVNULL)

    process, app = start(front_desk, '--database', database)
    try:
        frame = wait_for(lambda: app.child(roleName='frame'), 'the window')
        wait_for(lambda: frame.name == 'Test Clinic', 'the clinic to open')
        check('the window is titled with the clinic name', frame.name == 'Test Clinic', frame.name)

        # Sign in first, as a member does: nothing of the clinic before.
        sign_in = wait_for(lambda: app.child(name='Sign In', roleName='push button'),
                           'the sign-in page')
        check('the sign-in page shows no clinic list',
              not app.findChildren(GenericPredicate(name='Search members', roleName='entry')))
        bad = unnamed_controls(app)
        check('every control of the sign-in page has a name', not bad, '\n'.join(bad))
        hint = label_matching(app, r'made up. Sign in as .admin.')
        check('the demo clinic says its demo sign-in', hint is not None)
        username = wait_for(lambda: text_named(app, 'Username'), 'the username entry')
        password = wait_for(lambda: text_named(app, 'Password'), 'the password entry')
        username.text = 'admin'
        password.text = 'wrong password'
        sign_in.doActionNamed('click')
        # The message is an alert, so that a screen reader says it at once.
        refused = wait_for(lambda: label_matching(app, r'username or password is not right',
                                                  role='alert'),
                           'the refusal')
        check('a wrong password is refused with an alert', refused is not None)
        password.text = 'frontdesk-demo'
        sign_in.doActionNamed('click')

        search = wait_for(lambda: app.child(name='Search members', roleName='entry'),
                          'the members search entry')
        check('the members search entry is named', search is not None)
        wait_for(lambda: label_matching(app, r'^Active$'), 'the active members toggle')
        # GTK 4.8 gives toggle buttons the role of a push button.
        toggles = [n.name for n in app.findChildren(GenericPredicate(roleName='push button'))
                   + app.findChildren(GenericPredicate(roleName='toggle button'))]
        check('the active and deactivated toggles say their counts',
              any(re.match(r'^Active members: [0-9]+$', t) for t in toggles) and
              any(re.match(r'^Deactivated members: [0-9]+$', t) for t in toggles), toggles)

        bad = wait_for(lambda: unnamed_controls(app) or ['none'], 'the members view')
        check('every control of the members view has a name', bad == ['none'], '\n'.join(bad))

        # The audit log, from its named header-bar button, in a window of its own.
        audit = [b for b in app.findChildren(GenericPredicate(name='Audit Log',
                                                              roleName='push button'))
                 if 'click' in b.actions]
        check('the audit log button is named', audit)
        audit[0].doActionNamed('click')
        audit_window = wait_for(lambda: [f for f in app.children
                                         if f.roleName == 'frame' and f.name == 'Audit Log'],
                                'the audit log window')[0]
        wait_for(lambda: audit_window.findChildren(GenericPredicate(name='Time')),
                 'the audit log columns')
        bad = unnamed_controls(audit_window)
        check('every control of the audit log window has a name', not bad, '\n'.join(bad))
        closers = [b for b in audit_window.findChildren(GenericPredicate(name='Close',
                                                                         roleName='push button'))
                   if 'click' in b.actions]
        if closers:
            closers[0].doActionNamed('click')

        tabs = app.findChildren(GenericPredicate(name='Clients', roleName='page tab'))
        check('the Clients tab is named', len(tabs) > 0)
        tabs[0].doActionNamed('click')

        entry = wait_for(lambda: app.child(name='Search clients', roleName='entry'),
                         'the clients search entry')
        total = wait_for(lambda: client_count(app), 'the client count')
        check('the clients list counts 300 clients', total == 300, total)

        filters = [n.name for n in app.findChildren(GenericPredicate(roleName='combo box'))]
        check('the status and portal filters are named',
              'Status' in filters and 'Portal access' in filters, filters)

        bad = unnamed_controls(app)
        check('every control of the clients view has a name', not bad, '\n'.join(bad))

        # Search as a user types: the count narrows.
        entry.text = 'Ahm'
        narrowed = wait_for(lambda: (c := client_count(app)) is not None and c < total and c,
                            'the search to narrow the list')
        check('searching narrows the clients list', 0 < narrowed < total, narrowed)

        entry.text = 'qxzjvw'
        empty = wait_for(lambda: label_matching(app, r'^No Results Found$'), 'the no-results page')
        check('a search that finds nothing says so', empty is not None)

        entry.text = ''
        back = wait_for(lambda: client_count(app) == total, 'every client again')
        check('clearing the search brings every client back', back)

        # The main menu, by name, and the About window from it.
        # GtkMenuButton shows as a button holding the button that can be clicked.
        menu_buttons = [b for b in app.findChildren(GenericPredicate(name='Main Menu'))
                        if 'click' in b.actions]
        check('the main menu button is named and can be clicked', menu_buttons)
        menu_buttons[0].doActionNamed('click')
        about = wait_for(lambda: app.child(name='About Front Desk', roleName='menu item'),
                         'the main menu')
        check('the main menu offers About Front Desk', about is not None)
        about.doActionNamed('click')
        window = wait_for(lambda: [f for f in app.children if f.name.startswith('About')],
                          'the About window')
        check('the About window opens', window)
    finally:
        err = stop(process)
    warnings = [line for line in err.splitlines()
                if re.search(r'(Gtk|Adwaita|GLib|GLib-GObject)-(WARNING|CRITICAL)', line)]
    check('no GTK warnings or criticals', not warnings, '\n'.join(warnings))

    # A member without the "view the audit log" permission: the button is there, insensitive,
    # and its description says why.
    import sqlite3
    with sqlite3.connect(database) as db:
        (clerk,) = db.execute(
            "SELECT username FROM members m WHERE status = 'active' AND NOT EXISTS"
            " (SELECT 1 FROM member_roles mr JOIN role_permissions rp ON rp.role_id = mr.role_id"
            "  WHERE mr.member_id = m.id AND rp.permission = 'view-audit') ORDER BY id LIMIT 1"
        ).fetchone()
    process, app = start(front_desk, '--database', database)
    try:
        sign_in = wait_for(lambda: app.child(name='Sign In', roleName='push button'),
                           'the sign-in page')
        text_named(app, 'Username').text = clerk
        text_named(app, 'Password').text = 'frontdesk-demo'
        sign_in.doActionNamed('click')
        wait_for(lambda: app.child(name='Search members', roleName='entry'), 'the members view')
        button = wait_for(lambda: [b for b in app.findChildren(
                              GenericPredicate(name='Audit Log', roleName='push button'))
                                   if 'click' in b.actions], 'the audit log button')[0]
        check('without the permission, the audit log button is insensitive', not button.sensitive)
        check('and its description says which permission is missing',
              'view the audit log' in (button.description or ''), button.description)
    finally:
        stop(process)

    # A file that is not a clinic database: a readable error page.
    notes = os.path.join(workdir, 'notes.txt')
    with open(notes, 'w') as f:
        f.write('Call the lab back on Monday.\n')
    process, app = start(front_desk, '--database', notes)
    try:
        message = wait_for(lambda: label_matching(app, r'is not a clinic database'),
                           'the error page')
        check('the error page says what is wrong', message is not None and 'notes.txt' in message.name,
              message.name if message else None)
        button = app.child(name='Open Another Database…', roleName='push button')
        check('the error page offers to open another database', button is not None)
        bad = unnamed_controls(app)
        check('every control of the error page has a name', not bad, '\n'.join(bad))
    finally:
        stop(process)


if __name__ == '__main__':
    sys.exit(main())
