#!/usr/bin/python3
# test-clients.py: discharges a client of the demo clinic, turns their portal access off,
# checks what they see, and turns it on again, through the client page as a screen reader
# user would (by accessible names and actions alone); the clinic database and the portal's
# own sign-in (front-desk-admin portal sign-in) checked after each step. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-clients.py FRONT_DESK FRONT_DESK_ADMIN
# Run as test-a11y.py is (see tests/meson.build). With DESK_SCREENSHOTS=DIR in the
# environment it also saves a screenshot of each step there (imagemagick's import).

import os
import re
import subprocess
import sys

from desk_dogtail import (button, check, click, editable, find_app, nodes, one, query,
                          run_main, sign_in, stop, unnamed_controls, wait_for)

PORTAL_PASSWORD = 'portal-demo-2026'
REFUSED = ('We couldn’t sign you in. Check that your email address is correct, '
           'or contact your provider.')


def screenshot(name):
    folder = os.environ.get('DESK_SCREENSHOTS')
    if folder:
        subprocess.run(['import', '-window', 'root', os.path.join(folder, name + '.png')],
                       check=False)


def dialog(app, heading):
    """The message dialog whose heading is @heading: a window of its own, named by it."""
    for child in app.children:
        if child.name == heading:
            return child
    return None


def ancestor(node, role):
    while node is not None and node.roleName != role:
        node = node.parent
    return node


def row_subtitle(root, title):
    """The subtitle of the row titled @title: the label after the title in that row."""
    for item in nodes(root, 'list item'):
        texts = [n.name for n in nodes(item, 'label')]
        if texts and texts[0] == title and len(texts) > 1:
            return texts[1]
    return None


def portal_sign_in(admin, database, email, password):
    """The portal's answer, as the portal would run it: (exit status, what it printed)."""
    done = subprocess.run([admin, '--database', database, 'portal', 'sign-in', '--email', email],
                          input=password + '\n', capture_output=True, text=True)
    return done.returncode, (done.stdout + done.stderr).strip()


def client_state(database, client_id):
    return {
        'status': one(database, 'SELECT status FROM clients WHERE id = ?', client_id),
        'reason': one(database, 'SELECT discharge_reason FROM clients WHERE id = ?', client_id),
        'portal': one(database, 'SELECT portal_access FROM clients WHERE id = ?', client_id),
        'invitations': one(database, 'SELECT count(*) FROM portal_invitations'
                           ' WHERE client_id = ?', client_id),
        'shares': one(database, 'SELECT count(*) FROM document_shares WHERE client_id = ?'
                      ' AND unshared_at IS NULL', client_id),
    }


def run(front_desk, admin, workdir):
    database = os.path.join(workdir, 'clinic.db')
    subprocess.run([admin, '--database', database, 'init', '--demo', '--name', 'Test Clinic',
                    '--clients', '300', '--seed', '7'], check=True, stdout=subprocess.DEVNULL)

    # An active client who signs in to the portal today, with a document not shared yet.
    client_id, given, family, email = one_row(database)
    name = '%s %s' % (given, family)
    document = one(database, 'SELECT d.title FROM documents d WHERE d.client_id = ?'
                   ' AND NOT EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id'
                   ' AND s.unshared_at IS NULL) ORDER BY d.id LIMIT 1', client_id)
    status, said = portal_sign_in(admin, database, email, PORTAL_PASSWORD)
    check('the chosen client signs in to the portal before anything changes', status == 0, said)

    process = subprocess.Popen([front_desk, '--database', database], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        app = wait_for(find_app, 'the application on the accessibility bus')
        sign_in(app)
        wait_for(lambda: nodes(app, 'page tab', 'Clients'), 'the Clients tab')[0] \
            .doActionNamed('click')
        search = wait_for(lambda: nodes(app, 'entry', 'Search clients')[0], 'the clients view')
        search.text = name
        discharge = wait_for(lambda: button(app, 'Discharge %s…' % name),
                             'the client page of ' + name)
        check('the client page has “Discharge %s…”' % name, discharge)
        check('the page says an inactive client can still use the portal',
              nodes(app, 'label', 'Discharging makes a client inactive, with the date and a '
                    'reason; reactivating makes them active again. Neither changes portal '
                    'access: an inactive client can still sign in to the portal and see the '
                    'documents shared with them.'))
        check('what the client sees: they can sign in',
              row_subtitle(app, 'Signing in') == 'Can sign in', row_subtitle(app, 'Signing in'))
        bad = unnamed_controls(ancestor(discharge, 'scroll pane'))
        check('every control of the client page has a name', not bad, '\n'.join(bad))
        screenshot('client-page')

        # Discharge, leaving portal access as it is (the default).
        before = client_state(database, client_id)
        discharge.doActionNamed('click')
        asked = wait_for(lambda: dialog(app, 'Discharge %s?' % name), 'the discharge dialog')
        check('discharging asks separately about portal access, unticked',
              [n for n in nodes(asked, 'check box', 'Also turn off portal access')
               if not n.checked])
        check('without a reason, Discharge cannot be chosen',
              not button(asked, 'Discharge').sensitive)
        editable(asked, 'Reason for discharge').text = 'Moved to Vancouver'
        screenshot('client-discharge-dialog')
        click(asked, 'Discharge')
        wait_for(lambda: button(app, 'Reactivate ' + name), 'the client to be discharged')
        after = client_state(database, client_id)
        check('the client is inactive with the reason, portal access unchanged',
              after['status'] == 'inactive' and after['reason'] == 'Moved to Vancouver' and
              after['portal'] == before['portal'] == 'enabled', '%r\n%r' % (before, after))
        status, said = portal_sign_in(admin, database, email, PORTAL_PASSWORD)
        check('the inactive client still signs in to the portal', status == 0, said)
        check('what the client sees still says they can sign in',
              wait_for(lambda: row_subtitle(app, 'Signing in') == 'Can sign in',
                       'the preview'))

        # Share a document after the discharge: they see it.
        check('the client has a document not shared yet', document)
        if document:
            click(app, 'Share ' + document)
            wait_for(lambda: button(app, 'Stop sharing ' + document), 'the document shared')
            check('a document shared after the discharge is in what the client sees',
                  document in (row_subtitle(app, 'Shared documents') or ''),
                  row_subtitle(app, 'Shared documents'))
            check('sharing left the status as it was',
                  client_state(database, client_id)['status'] == 'inactive')

        # Portal access off.
        click(app, 'Turn off portal access…')
        asked = wait_for(lambda: dialog(app, 'Turn Off Portal Access for %s?' % name),
                         'the portal confirmation')
        screenshot('client-portal-off-dialog')
        click(asked, 'Turn Off')
        wait_for(lambda: button(app, 'Turn on portal access'), 'portal access to be off')
        off = client_state(database, client_id)
        check('portal access is off, the status unchanged',
              off['portal'] == 'disabled' and off['status'] == 'inactive', off)
        status, said = portal_sign_in(admin, database, email, PORTAL_PASSWORD)
        check('the portal refuses the client with the one answer',
              status != 0 and REFUSED in said, said)
        preview = wait_for(lambda: (s := row_subtitle(app, 'Signing in')) != 'Can sign in' and s,
                           'the preview to change')
        check('what the client sees says why they cannot sign in',
              preview == 'Their portal access is turned off.', preview)
        screenshot('client-page-portal-off')

        # On again: a new invitation; the old password stays refused.
        click(app, 'Turn on portal access')
        wait_for(lambda: button(app, 'Turn off portal access…'), 'portal access to be on')
        on = client_state(database, client_id)
        check('turning access on sends a new invitation',
              on['portal'] == 'enabled' and on['invitations'] == off['invitations'] + 1, on)
        check('the page shows the invitation and its expiry',
              re.match(r'^Invited until ', row_subtitle(app, 'Invitation') or ''),
              row_subtitle(app, 'Invitation'))
        check('what the client sees: not until they accept',
              wait_for(lambda: row_subtitle(app, 'Signing in') ==
                       'They have not accepted their invitation yet.', 'the preview'))
        status, said = portal_sign_in(admin, database, email, PORTAL_PASSWORD)
        check('the old portal password is still refused', status != 0 and REFUSED in said, said)
        resend = button(app, 'Send the invitation again')
        check('sending again is not offered within 5 minutes',
              resend is not None and not resend.sensitive)
        screenshot('client-page-invited')

        # Active again.
        click(app, 'Reactivate ' + name)
        wait_for(lambda: button(app, 'Discharge %s…' % name), 'the client to be active')
        check('the client is active again, portal access as it was',
              client_state(database, client_id)['status'] == 'active' and
              client_state(database, client_id)['portal'] == 'enabled')
        actions = audit(database, client_id)
        expected = ['client.discharge'] + (['client.share'] if document else []) + \
            ['portal.disable', 'portal.enable', 'client.activate']
        check('each change is in the audit log, in order, as the signed-in member',
              actions == expected, actions)
    finally:
        err = stop(process)
        check('the application wrote no critical warning',
              'CRITICAL' not in err and 'WARNING' not in err, err[-2000:])


def one_row(database):
    rows = query(database, "SELECT c.id, c.given_name, c.family_name, c.email FROM clients c"
                 " WHERE c.status = 'active' AND c.portal_access = 'enabled'"
                 " AND c.portal_invitation = 'accepted' AND c.email <> ''"
                 " AND EXISTS (SELECT 1 FROM documents d WHERE d.client_id = c.id"
                 "  AND NOT EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id"
                 "   AND s.unshared_at IS NULL))"
                 " ORDER BY c.id LIMIT 1")
    return rows[0] if rows else None


def audit(database, client_id):
    """The client's audit entries made by the demo administrator, in order."""
    return [a for (a,) in query(database, "SELECT action FROM audit_log"
                                " WHERE target_kind = 'client' AND target_id = ?"
                                " AND actor_member_id ="
                                " (SELECT id FROM members WHERE username = 'admin')"
                                " ORDER BY id", client_id)]


def main():
    return run_main(run, 'front-desk-clients-')


if __name__ == '__main__':
    sys.exit(main())
